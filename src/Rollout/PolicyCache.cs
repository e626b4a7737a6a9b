using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Model;

namespace Pipeline.Rollout;

/// <summary>The policy versions this worker holds, loaded from the checkpoint store and verified against their
/// published SHA-256. Loading happens on <c>PolicyPublished</c> and, as a fallback, on first use (the command names the location too); a swap never
/// disturbs a batch in progress because each batch takes the exact version it was asked for.</summary>
public sealed class PolicyCache(IOptions<RolloutOptions> options, IOptions<PolicyOptions> placement, ILogger<PolicyCache> logger) : IDisposable
{
    readonly Dictionary<(Guid Run, int Version), Lazy<CausalLm>> _policies = [];
    readonly LinkedList<(Guid Run, int Version)> _order = [];
    readonly Lock _lock = new();

    /// <summary>Registers a published version and loads it now, so the next batch does not wait.</summary>
    public void Register(PolicyLocation location) => _ = Get(location);

    /// <summary>The policy at <paramref name="location"/>, loaded (and hash-verified) now unless it is held already. A
    /// load that fails (a checkpoint not yet visible on a shared volume, a read error) is forgotten, so the next
    /// request — the message's retry — loads it afresh instead of meeting the same exception forever.</summary>
    public CausalLm Get(PolicyLocation location)
    {
        var entry = Entry(location);
        try
        {
            return entry.Value;
        }
        catch
        {
            lock (_lock)
            {
                var key = (location.RunId, location.Version);
                if (_policies.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
                {
                    _policies.Remove(key);
                    _order.Remove(key);
                }
            }
            throw;
        }
    }

    Lazy<CausalLm> Entry(PolicyLocation location)
    {
        lock (_lock)
        {
            var key = (location.RunId, location.Version);
            if (_policies.TryGetValue(key, out var existing)) return existing;
            var entry = new Lazy<CausalLm>(() => Load(location));
            _policies[key] = entry;
            _order.AddLast(key);
            while (_order.Count > options.Value.CachedVersions) Evict(_order.First!.Value);
            return entry;
        }
    }

    CausalLm Load(PolicyLocation location)
    {
        var directory = CheckpointUris.ToPath(location.CheckpointUri);
        var policy = placement.Value.ForInference(Checkpoint.Load(directory, location.Sha256));
        policy.eval();
        logger.LogInformation("Loaded policy version {Version} of run {RunId} from {Checkpoint}", location.Version, location.RunId, location.CheckpointUri);
        return policy;
    }

    void Evict((Guid Run, int Version) key)
    {
        _order.Remove(key);
        // A batch may still be sampling with an evicted version: let the finaliser release it rather than
        // disposing native memory under its feet.
        _policies.Remove(key);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var entry in _policies.Values.Where(e => e.IsValueCreated)) entry.Value.Dispose();
            _policies.Clear();
        }
    }
}
