using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Rollout;
using Pipeline.Tests.Data;
using Pipeline.Tests.Unit.Policy;

namespace Pipeline.Tests.Unit.Rollout;

[Collection(TorchCollection.Name)]
public sealed class PolicyCacheTests : IDisposable
{
    readonly TempDirectory _folder = new();

    [Fact]
    public void A_failed_load_is_forgotten_and_the_next_request_loads_the_checkpoint_once_it_is_there()
    {
        using var policy = TinyPolicy.Create(seed: 7);
        var written = _folder.File("written");
        var sha256 = Checkpoint.Save(policy, written);
        var published = _folder.File("published");
        var location = new PolicyLocation(Guid.NewGuid(), 1, CheckpointUris.FromPath(published), sha256);
        using var cache = new PolicyCache(Options.Create(new RolloutOptions()), Options.Create(new PolicyOptions()), NullLogger<PolicyCache>.Instance);

        Assert.Throws<FileNotFoundException>(() => cache.Get(location));

        Directory.Move(written, published); // the checkpoint becomes visible, as on a slow shared volume
        var loaded = cache.Get(location);
        Assert.Equal(policy.Config, loaded.Config);
        Assert.Same(loaded, cache.Get(location));
    }

    public void Dispose() => _folder.Dispose();
}
