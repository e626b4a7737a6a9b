using System.ComponentModel.DataAnnotations;

namespace Pipeline.Hosting;

/// <summary>The broker (configuration section "RabbitMq"; environment <c>RabbitMq__Host</c> …). With no
/// <see cref="Host"/> the services talk over MassTransit's in-memory transport, which only works in one process.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    public string? Host { get; set; }
    [Range(1, 65535)] public int Port { get; set; } = 5672;
    [Required] public string VirtualHost { get; set; } = "/";
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Largest message body accepted; scored groups of long completions can be large.</summary>
    [Range(1, 512)] public int MaxMessageSizeMb { get; set; } = 64;

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}
