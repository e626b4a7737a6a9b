using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Hosting;

namespace Pipeline.Tests.Unit.Hosting;

public class BusStuckDetectorTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    [Fact]
    public void An_unhealthy_bus_with_the_broker_answering_is_stuck_once_the_whole_limit_has_passed()
    {
        var detector = new BusStuckDetector(TimeSpan.FromMinutes(5));

        Assert.False(detector.Observe(At(0), healthy: true, brokerAnswers: true));
        Assert.Null(detector.StuckSince);
        Assert.False(detector.Observe(At(1), healthy: false, brokerAnswers: true));
        Assert.Equal(At(1), detector.StuckSince);
        Assert.False(detector.Observe(At(5.99), healthy: false, brokerAnswers: true));
        Assert.True(detector.Observe(At(6), healthy: false, brokerAnswers: true));
    }

    [Fact]
    public void A_healthy_look_starts_the_count_again()
    {
        var detector = new BusStuckDetector(TimeSpan.FromMinutes(5));

        detector.Observe(At(0), healthy: false, brokerAnswers: true);
        Assert.False(detector.Observe(At(4), healthy: true, brokerAnswers: true));
        Assert.False(detector.Observe(At(5), healthy: false, brokerAnswers: true));
        Assert.False(detector.Observe(At(9.5), healthy: false, brokerAnswers: true)); // 4.5 min since the healthy look
        Assert.True(detector.Observe(At(10), healthy: false, brokerAnswers: true));
    }

    [Fact]
    public void A_broker_that_does_not_answer_is_away_not_stuck_and_starts_the_count_again()
    {
        var detector = new BusStuckDetector(TimeSpan.FromMinutes(5));

        // A long outage: the bus is unhealthy throughout, and that alone never stops the service.
        for (int minute = 0; minute <= 60; minute++)
            Assert.False(detector.Observe(At(minute), healthy: false, brokerAnswers: false));
        Assert.Null(detector.StuckSince);
        // The broker is back; the bus does not recover: stuck 5 minutes later, not at once.
        Assert.False(detector.Observe(At(61), healthy: false, brokerAnswers: true));
        Assert.False(detector.Observe(At(65), healthy: false, brokerAnswers: true));
        Assert.False(detector.Observe(At(65.5), healthy: false, brokerAnswers: false));
        Assert.False(detector.Observe(At(66), healthy: false, brokerAnswers: true));
        Assert.True(detector.Observe(At(71), healthy: false, brokerAnswers: true));
    }

    [Fact]
    public void Services_on_rabbitmq_get_the_watchdog_and_a_bad_setting_is_refused_by_name()
    {
        var onBroker = ServiceHost.CreateBuilder(["--RabbitMq:Host=127.0.0.1", "--Host:BusStuckMinutes=-1"]);
        Assert.Contains(onBroker.Services, d => d.ImplementationType == typeof(BusWatchdog));
        using var provider = onBroker.Services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BusWatchdogOptions>>().Value);
        Assert.Contains("BusStuckMinutes", error.Message);

        var inProcess = ServiceHost.CreateBuilder(["--RabbitMq:Host="]); // empty whatever the environment says
        Assert.DoesNotContain(inProcess.Services, d => d.ImplementationType == typeof(BusWatchdog));
        Assert.Equal(5, new BusWatchdogOptions().BusStuckMinutes);
    }
}
