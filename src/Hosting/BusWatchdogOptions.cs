using System.ComponentModel.DataAnnotations;

namespace Pipeline.Hosting;

/// <summary>When a service gives up on a bus that does not come back (configuration section "Host"; environment
/// <c>Host__BusStuckMinutes</c>). See <see cref="BusWatchdog"/>.</summary>
public sealed class BusWatchdogOptions
{
    public const string Section = "Host";

    /// <summary>Minutes a service's bus may stay unhealthy while its broker accepts connections before the service
    /// stops (exit code <see cref="BusWatchdog.ExitCode"/>) for its supervisor to start it afresh; 0 never stops.</summary>
    [Range(0, 1440)] public double BusStuckMinutes { get; set; } = 5;

    /// <summary>Seconds between two looks at the bus's health.</summary>
    [Range(1, 300)] public double CheckSeconds { get; set; } = 15;
}
