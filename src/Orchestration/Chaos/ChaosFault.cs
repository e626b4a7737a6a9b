namespace Pipeline.Orchestration.Chaos;

/// <summary>One planned fault: at <paramref name="AtSeconds"/> after the run started, do <paramref name="Kind"/> to
/// <paramref name="Target"/> (a service process such as <c>rollout-1</c>, or <c>rabbitmq</c>/<c>postgres</c>).</summary>
/// <param name="Seconds">how long the target stays down: a killed process is restarted after it, a paused one
/// continued after it; 0 for the broker and database (their restart commands say how long)</param>
public sealed record ChaosFault(double AtSeconds, string Kind, string Target, double Seconds)
{
    /// <summary>SIGKILL a service process, start it again after <see cref="Seconds"/>.</summary>
    public const string Kill = "kill";

    /// <summary>SIGSTOP a rollout worker past the broker's consumer timeout, SIGCONT after <see cref="Seconds"/>.</summary>
    public const string Pause = "pause";

    /// <summary>Restart RabbitMQ (every connection dropped).</summary>
    public const string BrokerRestart = "broker-restart";

    /// <summary>Restart PostgreSQL (every connection dropped).</summary>
    public const string DatabaseRestart = "database-restart";

    public const string Broker = "rabbitmq";
    public const string Database = "postgres";
}
