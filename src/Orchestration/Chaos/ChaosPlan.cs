namespace Pipeline.Orchestration.Chaos;

/// <summary>
/// The seeded fault schedule of a chaos run, a pure function of its settings: the same seed gives the same faults at
/// the same moments. Within the window: one pause of a rollout worker (in the first half, so that it ends near the
/// window), the broker and the database restarted once each (when their commands are known), and SIGKILLs of random
/// service processes — about one every 40 s, at least three — each restarted after 1–10 s. A kill never picks a
/// process that is down or paused at that moment.
/// </summary>
public static class ChaosPlan
{
    const double SecondsPerKill = 40;
    const int MinimumKills = 3;

    public static IReadOnlyList<ChaosFault> Create(ChaosOptions options)
    {
        double window = options.Minutes * 60;
        var random = new Random(options.Seed);
        var faults = new List<ChaosFault>();
        var services = Services(options);

        // Drawn in a fixed order, whether or not a fault is used, so that the kills of one seed do not depend on
        // which commands the user gave.
        double pauseAt = Round(random.NextDouble() * window / 2);
        string paused = ServiceProcesses.NameOf("Rollout", random.Next(options.Rollouts));
        double brokerAt = Round(window * (0.1 + 0.8 * random.NextDouble()));
        double databaseAt = Round(window * (0.1 + 0.8 * random.NextDouble()));
        if (options.PauseSeconds > 0) faults.Add(new ChaosFault(pauseAt, ChaosFault.Pause, paused, options.PauseSeconds));
        if (options.BrokerRestart is not null) faults.Add(new ChaosFault(brokerAt, ChaosFault.BrokerRestart, ChaosFault.Broker, 0));
        if (options.DatabaseRestart is not null) faults.Add(new ChaosFault(databaseAt, ChaosFault.DatabaseRestart, ChaosFault.Database, 0));

        int kills = Math.Max(MinimumKills, (int)Math.Round(window / SecondsPerKill));
        var killTimes = Enumerable.Range(0, kills).Select(_ => Round(random.NextDouble() * window)).Order().ToArray();
        foreach (var at in killTimes)
        {
            var candidates = services.Where(s => !Unavailable(faults, s, at)).ToArray();
            var downFor = Round(1 + 9 * random.NextDouble());
            if (candidates.Length == 0) continue;
            faults.Add(new ChaosFault(at, ChaosFault.Kill, candidates[random.Next(candidates.Length)], downFor));
        }
        return faults.OrderBy(f => f.AtSeconds).ThenBy(f => f.Kind, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The service processes of a chaos run by name, learners first.</summary>
    public static IReadOnlyList<string> Services(ChaosOptions options) =>
    [
        .. Enumerable.Range(0, options.Learners).Select(i => ServiceProcesses.NameOf("Learner", i)),
        .. Enumerable.Range(0, options.Rollouts).Select(i => ServiceProcesses.NameOf("Rollout", i)),
        .. Enumerable.Range(0, options.Verifiers).Select(i => ServiceProcesses.NameOf("Verifier", i)),
    ];

    /// <summary>Down (killed, not yet restarted) or paused at <paramref name="at"/>.</summary>
    static bool Unavailable(IEnumerable<ChaosFault> faults, string service, double at) =>
        faults.Any(f => f.Target == service && at >= f.AtSeconds && at <= f.AtSeconds + f.Seconds);

    static double Round(double seconds) => Math.Round(seconds, 1);
}
