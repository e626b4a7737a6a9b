using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Runs;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Tests.Unit.Learner.Runs;

public sealed class RunSettingsTests
{
    static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void Settings_stored_before_countdown_existed_still_read_back_as_arithmetic()
    {
        // The shape of a run's stored configuration before Run:Task and the Countdown section.
        const string stored = """
            {"Run":{"Name":"old","Steps":3,"PromptsPerBatch":4,"GroupSize":2,"Dataset":null},
             "Task":{"Operations":"+-","Digits":2,"HeldOutSize":20,"HeldOutSeed":5},
             "Grpo":{"LearningRate":0.001}}
            """;

        var settings = RunSettings.FromJson(stored);

        Assert.Equal("old", settings.Run.Name);
        Assert.Equal("arithmetic", settings.Run.Task);
        Assert.Equal("+-", settings.Task.Operations);
        Assert.NotNull(settings.Countdown);
        Assert.Equal(new CountdownOptions().MaxTarget, settings.Countdown.MaxTarget);
        Assert.Null(settings.LearnerThreads);   // not recorded then: a replay falls back to one thread per core
        var task = Assert.IsType<ArithmeticTask>(TaskSources.For(settings));
        Assert.Equal(20, task.HeldOut.Count);
    }

    [Fact]
    public void The_learners_thread_count_round_trips_through_json()
    {
        var settings = new RunSettings(new RunOptions(), new ArithmeticOptions(), new GrpoOptions()) { LearnerThreads = 3 };

        Assert.Equal(3, RunSettings.FromJson(settings.ToJson()).LearnerThreads);
    }

    [Fact]
    public void The_countdown_settings_round_trip_through_json()
    {
        var settings = new RunSettings(new RunOptions { Task = "countdown" }, new ArithmeticOptions(), new GrpoOptions())
        {
            Countdown = new CountdownOptions { MinNumbers = 4, MaxTarget = 250, HeldOutSize = 30 },
        };

        var back = RunSettings.FromJson(settings.ToJson());

        Assert.Equal("countdown", back.Run.Task);
        Assert.Equal(4, back.Countdown.MinNumbers);
        Assert.Equal(250, back.Countdown.MaxTarget);
        Assert.Equal(30, back.Countdown.HeldOutSize);
        var task = Assert.IsType<CountdownTask>(TaskSources.For(back));
        Assert.Equal(30, task.HeldOut.Count);
        Assert.Equal(
            Assert.IsType<CountdownTask>(TaskSources.For(settings)).HeldOut.Select(p => p.Reference),
            task.HeldOut.Select(p => p.Reference));
    }

    [Fact]
    public void From_configuration_binds_run_task_and_the_countdown_section()
    {
        var settings = RunSettings.From(Configuration(("Run:Task", "countdown"), ("Countdown:MaxNumber", "50"), ("Countdown:HeldOutSize", "12")));

        Assert.Equal("countdown", settings.Run.Task);
        Assert.Equal(50, settings.Countdown.MaxNumber);
        var task = Assert.IsType<CountdownTask>(TaskSources.For(settings));
        Assert.Equal(12, task.HeldOut.Count);
        Assert.All(task.HeldOut, p => Assert.Equal("countdown", p.Kind));
    }

    [Fact]
    public void Arithmetic_stays_the_default()
    {
        var settings = RunSettings.From(Configuration());

        Assert.Equal("arithmetic", settings.Run.Task);
        Assert.IsType<ArithmeticTask>(TaskSources.For(settings));
    }

    [Theory]
    [InlineData("Run:Task", "chess")]
    [InlineData("Run:Task", "Countdown ")]
    [InlineData("Countdown:MaxNumber", "0")]
    [InlineData("Countdown:MinNumbers", "5")]
    public void Bad_task_settings_are_refused_by_name(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => RunSettings.From(Configuration((key, value))));

        Assert.Contains(key.Split(':')[0], error.Message);
    }
}
