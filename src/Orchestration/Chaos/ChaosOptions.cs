namespace Pipeline.Orchestration.Chaos;

/// <summary>What <c>pipeline chaos</c> was asked to do.</summary>
public sealed record ChaosOptions
{
    /// <summary>Seeds the fault schedule (<see cref="ChaosPlan"/>).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The fault window, from the moment the learner took the run up.</summary>
    public double Minutes { get; init; } = 10;

    public int Learners { get; init; } = 2;

    public int Rollouts { get; init; } = 2;

    public int Verifiers { get; init; } = 1;

    /// <summary>How long one rollout worker is SIGSTOPped: past the broker's consumer timeout, so that the broker
    /// takes its delivery back; 0 for no pause.</summary>
    public double PauseSeconds { get; init; } = 70;

    /// <summary>The shell command that restarts the broker; null: no broker restart.</summary>
    public string? BrokerRestart { get; init; }

    /// <summary>The shell command that restarts the database; null: no database restart.</summary>
    public string? DatabaseRestart { get; init; }

    /// <summary>Where the service DLLs are; null: beside this program.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Where each service process writes its log.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>How long to wait for the run to finish after the fault window.</summary>
    public double TimeoutMinutes { get; init; } = 30;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!(Minutes > 0)) throw new ArgumentException($"--minutes must be more than 0, not {Minutes}");
        if (Learners < 1) throw new ArgumentException($"--learners must be at least 1, not {Learners}");
        if (Rollouts < 1) throw new ArgumentException($"--rollouts must be at least 1, not {Rollouts}");
        if (Verifiers < 1) throw new ArgumentException($"--verifiers must be at least 1, not {Verifiers}");
        if (!(PauseSeconds >= 0)) throw new ArgumentException($"--pause-seconds must be 0 or more, not {PauseSeconds}");
        if (!(TimeoutMinutes > 0)) throw new ArgumentException($"--timeout must be more than 0, not {TimeoutMinutes}");
    }
}
