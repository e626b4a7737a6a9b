namespace Pipeline.Hosting;

/// <summary>
/// Tells a bus that is stuck from a broker that is away. MassTransit reconnects by itself when the broker comes back,
/// and its health reads unhealthy while it is away; but after repeated broker restarts a receive endpoint has been
/// seen never to come back (MassTransit issues #5692 and #5942): the broker answers, the other services consume again,
/// and this one's queues keep no consumer. Only time during which the broker accepts connections and the bus is not
/// healthy counts, without a break: a healthy look, or a broker that does not answer, starts the count again.
/// </summary>
public sealed class BusStuckDetector(TimeSpan limit)
{
    DateTimeOffset? _since;

    /// <summary>Since when the bus has been unhealthy with the broker answering, or null.</summary>
    public DateTimeOffset? StuckSince => _since;

    /// <summary>Takes one look; true once the bus has been unhealthy, with the broker answering, for the whole limit.</summary>
    public bool Observe(DateTimeOffset now, bool healthy, bool brokerAnswers)
    {
        if (healthy || !brokerAnswers)
        {
            _since = null;
            return false;
        }
        _since ??= now;
        return now - _since.Value >= limit;
    }
}
