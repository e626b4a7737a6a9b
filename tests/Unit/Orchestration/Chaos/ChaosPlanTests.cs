using Pipeline.Orchestration.Chaos;

namespace Pipeline.Tests.Unit.Orchestration.Chaos;

public sealed class ChaosPlanTests
{
    static ChaosOptions Options(int seed = 1, double minutes = 10, bool servers = true) => new()
    {
        Seed = seed,
        Minutes = minutes,
        LogDirectory = "logs",
        BrokerRestart = servers ? "restart broker" : null,
        DatabaseRestart = servers ? "restart database" : null,
    };

    [Fact]
    public void The_same_seed_gives_the_same_schedule()
    {
        Assert.Equal(ChaosPlan.Create(Options(seed: 7)), ChaosPlan.Create(Options(seed: 7)));
    }

    [Fact]
    public void Another_seed_gives_another_schedule()
    {
        Assert.NotEqual(ChaosPlan.Create(Options(seed: 1)), ChaosPlan.Create(Options(seed: 2)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 10)]
    [InlineData(3, 10)]
    [InlineData(4, 0.5)]
    public void The_broker_and_the_database_restart_once_each(int seed, double minutes)
    {
        var plan = ChaosPlan.Create(Options(seed, minutes));

        Assert.Single(plan, f => f.Kind == ChaosFault.BrokerRestart && f.Target == ChaosFault.Broker);
        Assert.Single(plan, f => f.Kind == ChaosFault.DatabaseRestart && f.Target == ChaosFault.Database);
    }

    [Fact]
    public void Without_restart_commands_the_broker_and_the_database_are_left_alone_and_the_kills_stay_the_same()
    {
        var with = ChaosPlan.Create(Options(seed: 3));
        var without = ChaosPlan.Create(Options(seed: 3, servers: false));

        Assert.DoesNotContain(without, f => f.Kind is ChaosFault.BrokerRestart or ChaosFault.DatabaseRestart);
        Assert.Equal(with.Where(f => f.Kind == ChaosFault.Kill), without.Where(f => f.Kind == ChaosFault.Kill));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 10)]
    [InlineData(9, 3)]
    public void Every_fault_falls_within_the_window_in_time_order(int seed, double minutes)
    {
        var plan = ChaosPlan.Create(Options(seed, minutes));

        Assert.All(plan, f => Assert.InRange(f.AtSeconds, 0, minutes * 60));
        Assert.Equal(plan.Select(f => f.AtSeconds).Order(), plan.Select(f => f.AtSeconds));
    }

    [Fact]
    public void Kills_hit_the_services_and_restart_them_after_one_to_ten_seconds()
    {
        var options = Options(seed: 11);
        var kills = ChaosPlan.Create(options).Where(f => f.Kind == ChaosFault.Kill).ToArray();

        Assert.True(kills.Length >= 3, $"{kills.Length} kills");
        Assert.All(kills, k => Assert.Contains(k.Target, ChaosPlan.Services(options)));
        Assert.All(kills, k => Assert.InRange(k.Seconds, 1, 10));
    }

    [Fact]
    public void One_rollout_worker_is_paused_for_the_pause_seconds_and_not_killed_while_paused()
    {
        var options = Options(seed: 4) with { PauseSeconds = 70 };
        var plan = ChaosPlan.Create(options);

        var pause = Assert.Single(plan, f => f.Kind == ChaosFault.Pause);
        Assert.StartsWith("rollout-", pause.Target);
        Assert.Equal(70, pause.Seconds);
        Assert.DoesNotContain(plan, f => f.Kind == ChaosFault.Kill && f.Target == pause.Target
            && f.AtSeconds >= pause.AtSeconds && f.AtSeconds <= pause.AtSeconds + pause.Seconds);
    }

    [Fact]
    public void A_process_is_not_killed_again_before_it_has_been_restarted()
    {
        foreach (var seed in Enumerable.Range(1, 20))
        {
            var kills = ChaosPlan.Create(Options(seed, minutes: 2) with { Learners = 1, Rollouts = 1 })
                .Where(f => f.Kind == ChaosFault.Kill).ToArray();
            foreach (var kill in kills)
                Assert.DoesNotContain(kills, other => other != kill && other.Target == kill.Target
                    && other.AtSeconds > kill.AtSeconds && other.AtSeconds <= kill.AtSeconds + kill.Seconds);
        }
    }
}
