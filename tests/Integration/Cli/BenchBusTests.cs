using System.Text.Json;
using Pipeline.Benchmarks.Bus;
using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Cli;

/// <summary><c>pipeline bench bus</c> as a user runs it against the test's broker and database, on a three-step smoke
/// run timed twice in each mode: every run drew the same prompts, the ratio and the breakdown follow from
/// the measured figures of the median pair, and the JSON has the shape (no timing targets: speed is for the
/// benchmark itself).</summary>
[Collection(DistributedCollection.Name)]
public sealed class BenchBusTests(DistributedFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_same_run_embedded_and_on_one_worker_and_one_verifier_draws_the_same_prompts_and_reports_where_time_went()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var json = Path.Combine(fixture.WorkingDirectory, $"bus-{Guid.NewGuid():N}.json");
        var checkpoints = $"bus-{Guid.NewGuid():N}";
        await using var bench = ObservedProcess.Start("pipeline bench bus", DistributedFixture.Dll("pipeline"),
            ["bench", "bus", "--config", fixture.SmokeConfig, "--set", "Run:Steps=3", "--set", $"Run:CheckpointDirectory={checkpoints}",
                "--warmup-steps", "1", "--repeats", "2", "--json", json],
            cluster.Environment(), fixture.WorkingDirectory);

        int exitCode = await bench.WaitForExitAsync(TimeSpan.FromMinutes(15));
        output.WriteLine(bench.Tail(40));
        Assert.True(exitCode == 0, bench.Tail());
        var left = Path.Combine(fixture.WorkingDirectory, checkpoints);   // the four runs' checkpoints are deleted at the end
        Assert.False(Directory.Exists(left) && Directory.EnumerateFileSystemEntries(left).Any(), $"checkpoints left in {left}");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = report.RootElement;

        Assert.Equal(1, root.GetProperty("rollout_workers").GetInt32());
        Assert.Equal(1, root.GetProperty("verifiers").GetInt32());
        Assert.True(root.GetProperty("same_prompts").GetBoolean());
        Assert.Equal(1, root.GetProperty("warmup_steps").GetInt32());
        var embedded = root.GetProperty("embedded");
        var services = root.GetProperty("services");
        Assert.Equal(services.GetProperty("samples_per_second").GetDouble() / embedded.GetProperty("samples_per_second").GetDouble(),
            root.GetProperty("ratio").GetDouble(), 1e-9);
        var pairs = root.GetProperty("pairs").EnumerateArray().ToArray();
        Assert.Equal(2, pairs.Length);
        foreach (var pair in pairs)
            Assert.Equal(pair.GetProperty("services_samples_per_second").GetDouble() / pair.GetProperty("embedded_samples_per_second").GetDouble(),
                pair.GetProperty("ratio").GetDouble(), 1e-9);
        var median = pairs[BusBenchmark.MedianPair(pairs.Select(p => p.GetProperty("ratio").GetDouble()).ToArray())];   // the lower of two
        Assert.Equal(median.GetProperty("embedded_samples_per_second").GetDouble(), embedded.GetProperty("samples_per_second").GetDouble(), 1e-9);
        Assert.Equal(median.GetProperty("ratio").GetDouble(), root.GetProperty("ratio").GetDouble(), 1e-9);
        foreach (var mode in new[] { embedded, services })
        {
            int versions = mode.GetProperty("policy_versions").GetInt32();   // a step whose groups all tie makes none
            Assert.InRange(versions, 1, 3);
            double wall = mode.GetProperty("wall_seconds").GetDouble();
            Assert.Equal(3 * fixture.SmokeRun.PromptsPerBatch * fixture.SmokeRun.GroupSize / wall, mode.GetProperty("samples_per_second").GetDouble(), 1e-6);
            Assert.InRange(mode.GetProperty("accuracy").GetDouble(), 0, 1);
            double parts = mode.GetProperty("start_seconds").GetDouble() + mode.GetProperty("end_seconds").GetDouble()
                + versions * (mode.GetProperty("waiting_seconds_per_step").GetDouble() + mode.GetProperty("training_seconds_per_step").GetDouble());
            Assert.Equal(wall, parts, 1e-3);   // the breakdown accounts for the whole wall time

            var cpu = mode.GetProperty("cpu");   // the tests run on Linux, where /proc/stat is there to read
            Assert.True(cpu.GetProperty("window_seconds").GetDouble() >= wall * 0.9, "the CPU is measured over the run");
            Assert.InRange(cpu.GetProperty("busy_fraction").GetDouble(), 0, 1);
            double processes = cpu.GetProperty("processes").EnumerateObject().Sum(p => p.Value.GetDouble());
            Assert.True(processes > 0, "Pipeline's processes used CPU");
            Assert.Equal(cpu.GetProperty("busy_core_seconds").GetDouble(), processes + cpu.GetProperty("other_core_seconds").GetDouble(), 1e-6);
            foreach (var process in cpu.GetProperty("threads").EnumerateObject())   // each process's threads account for at most its time
                Assert.True(process.Value.EnumerateObject().Sum(t => t.Value.GetDouble())
                    <= cpu.GetProperty("processes").GetProperty(process.Name).GetDouble() * 1.02 + 0.1, process.Name);
        }
        Assert.Equal(["pipeline"], embedded.GetProperty("cpu").GetProperty("processes").EnumerateObject().Select(p => p.Name));
        Assert.Contains("learner", services.GetProperty("cpu").GetProperty("threads").GetProperty("learner-0").EnumerateObject().Select(t => t.Name));
        Assert.Equal(["bench (waiting)", "learner-0", "rollout-0", "verifier-0"],
            services.GetProperty("cpu").GetProperty("processes").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
