using Pipeline.Tasks;
using Pipeline.Tasks.Code;
using Pipeline.Tasks.Jsonl;
using Pipeline.Tests.Data;

namespace Pipeline.Tests.Unit.Tasks;

public sealed class JsonlDatasetTests
{
    static string Line(int i) => $$"""{"prompt": "What is {{i}} squared?", "answer": "{{i * i}}"}""";

    [Fact]
    public void Loads_every_problem_and_holds_out_about_a_tenth()
    {
        using var temp = new TempDirectory();
        var path = temp.File("squares.jsonl");
        File.WriteAllLines(path, Enumerable.Range(1, 500).Select(Line));

        var dataset = JsonlDataset.Load(path);

        Assert.Equal("squares.jsonl", dataset.Name);
        Assert.Equal(500, dataset.Training.Count + dataset.HeldOut.Count);
        Assert.InRange(dataset.HeldOut.Count, 30, 70); // binomial(500, 0.1): mean 50, sd 6.7
        var all = dataset.Training.Concat(dataset.HeldOut).OrderBy(p => int.Parse(p.Id["line-".Length..])).ToArray();
        for (int i = 1; i <= 500; i++)
        {
            Assert.Equal($"line-{i}", all[i - 1].Id);
            Assert.Equal($"What is {i} squared?", all[i - 1].Question);
            Assert.Equal($"{i * i}", all[i - 1].Reference);
            Assert.Equal("math", all[i - 1].Kind);
        }
    }

    [Fact]
    public void The_held_out_split_depends_on_each_prompt_not_on_the_file()
    {
        using var temp = new TempDirectory();
        var lines = Enumerable.Range(1, 300).Select(Line).ToArray();
        File.WriteAllLines(temp.File("forward.jsonl"), lines);
        File.WriteAllLines(temp.File("reversed.jsonl"), lines.Reverse());
        File.WriteAllLines(temp.File("half.jsonl"), lines.Take(150));

        var forward = JsonlDataset.Load(temp.File("forward.jsonl")).HeldOut.Select(p => p.Question).ToHashSet();
        var reversed = JsonlDataset.Load(temp.File("reversed.jsonl")).HeldOut.Select(p => p.Question).ToHashSet();
        var half = JsonlDataset.Load(temp.File("half.jsonl")).HeldOut.Select(p => p.Question).ToHashSet();

        Assert.NotEmpty(forward);
        Assert.True(forward.SetEquals(reversed));
        Assert.True(half.SetEquals(forward.Where(q => int.Parse(q.Split(' ')[2]) <= 150)));
    }

    [Fact]
    public void Training_draws_only_training_problems()
    {
        using var temp = new TempDirectory();
        var path = temp.File("squares.jsonl");
        File.WriteAllLines(path, Enumerable.Range(1, 200).Select(Line));
        var dataset = JsonlDataset.Load(path);
        var heldOut = dataset.HeldOut.Select(p => p.Question).ToHashSet();
        var random = new Random(1);

        var drawn = Enumerable.Range(0, 2000).Select(_ => dataset.NextTraining(random)).ToArray();

        Assert.DoesNotContain(drawn, p => heldOut.Contains(p.Question));
        Assert.Equal(dataset.Training.Count, drawn.Select(p => p.Question).Distinct().Count());
    }

    [Fact]
    public void Optional_fields_blank_lines_and_non_string_answers_are_read()
    {
        using var temp = new TempDirectory();
        var path = temp.File("mixed.jsonl");
        File.WriteAllLines(path,
        [
            """{"prompt": "Write add(a, b).", "test_code": "assert add(1, 2) == 3", "id": "add"}""",
            "",
            """{"prompt": "1+1", "answer": 2, "id": 7}""",
        ]);

        var dataset = JsonlDataset.Load(path);
        var problems = dataset.Training.Concat(dataset.HeldOut).OrderBy(p => p.Question, StringComparer.Ordinal).ToArray();

        Assert.Equal(2, problems.Length);
        Assert.Equal(new Problem("7", "1+1", "2", "math") { Origin = "mixed.jsonl:3" }, problems[0]);
        Assert.Equal(new Problem("add", "Write add(a, b).", """{"tests":[],"test_code":"assert add(1, 2) == 3"}""", "code") { Origin = "mixed.jsonl:1" }, problems[1]);
    }

    [Theory]
    [InlineData("{\"prompt\": \"x\", \"answer\": \"1\"", "")]
    [InlineData("""{"prompt": "x"}""", "missing \"answer\"")]
    [InlineData("""{"answer": "1"}""", "missing \"prompt\"")]
    [InlineData("""[1, 2]""", "missing \"prompt\"")]
    [InlineData("""{"prompt": "x", "answer": "1", "kind": 5}""", "")]
    public void A_malformed_line_is_reported_with_file_and_line_number(string badLine, string detail)
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.jsonl");
        File.WriteAllLines(path, [Line(1), Line(2), badLine, Line(4)]);

        var error = Assert.Throws<InvalidDataException>(() => JsonlDataset.Load(path));

        Assert.StartsWith($"{path}:3: ", error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Fact]
    public void Code_problems_are_read_as_pipeline_verify_reads_them()
    {
        using var temp = new TempDirectory();
        var path = temp.File("code.jsonl");
        File.WriteAllLines(path,
        [
            """{"id": "echo", "prompt": "Echo a line.", "tests": [{"input": "a\n", "output": "a\n"}], "split": "train"}""",
            """{"id": "both", "prompt": "Write f.", "kind": "code", "tests": [{"input": "", "output": "1"}], "test_code": "assert f() == 1", "split": "train"}""",
            """{"id": "stored", "prompt": "Write g.", "kind": "code", "answer": {"test_code": "assert g()"}, "split": "held-out"}""",
        ]);

        var problems = JsonlDataset.Load(path).Listed.ToArray();

        Assert.All(problems, p => Assert.Equal("code", p.Kind));
        Assert.Equal(["Echo a line.", "Write f.", "Write g."], problems.Select(p => p.Question));
        var echo = CodeReference.Parse(problems[0].Reference);
        Assert.Equal([new CodeTestCase("a\n", "a\n")], echo.Tests);
        Assert.Null(echo.TestCode);
        var both = CodeReference.Parse(problems[1].Reference);
        Assert.Equal([new CodeTestCase("", "1")], both.Tests);
        Assert.Equal("assert f() == 1", both.TestCode);
        Assert.Equal("assert g()", CodeReference.Parse(problems[2].Reference).TestCode);
    }

    [Fact]
    public void A_lines_split_overrides_the_hash()
    {
        using var temp = new TempDirectory();
        var path = temp.File("split.jsonl");
        var lines = Enumerable.Range(1, 40).Select(i => i <= 4
            ? $$"""{"prompt": "What is {{i}} squared?", "answer": "{{i * i}}", "split": "held-out"}"""
            : $$"""{"prompt": "What is {{i}} squared?", "answer": "{{i * i}}", "split": "train"}""");
        File.WriteAllLines(path, lines);

        var dataset = JsonlDataset.Load(path);

        Assert.Equal(["line-1", "line-2", "line-3", "line-4"], dataset.HeldOut.Select(p => p.Id));
        Assert.Equal(36, dataset.Training.Count);
        Assert.Equal(40, dataset.Listed.Count());
    }

    [Theory]
    [InlineData("""{"prompt": "x", "kind": "code"}""", "a code problem needs \"tests\" or \"test_code\"")]
    [InlineData("""{"prompt": "x", "tests": []}""", "neither \"tests\" nor \"test_code\"")]
    [InlineData("""{"prompt": "x", "tests": [{"input": "1"}]}""", "output")]
    [InlineData("""{"prompt": "x", "tests": [{"input": "1", "output": "1", "expected": "1"}]}""", "expected")]
    [InlineData("""{"prompt": "x", "kind": "math", "test_code": "assert 1"}""", "belong to code problems, not to kind 'math'")]
    [InlineData("""{"prompt": "x", "answer": "1", "split": "test"}""", "\"split\" must be \"train\" or \"held-out\"")]
    public void A_malformed_code_line_or_split_is_reported_with_file_and_line_number(string badLine, string detail)
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.jsonl");
        File.WriteAllLines(path, [Line(1), badLine]);

        var error = Assert.Throws<InvalidDataException>(() => JsonlDataset.Load(path));

        Assert.StartsWith($"{path}:2: ", error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Fact]
    public void A_missing_file_is_rejected_with_its_path()
    {
        using var temp = new TempDirectory();
        var path = temp.File("absent.jsonl");

        var error = Assert.Throws<FileNotFoundException>(() => JsonlDataset.Load(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        using var temp = new TempDirectory();
        var path = temp.File("empty.jsonl");
        File.WriteAllText(path, "\n\n");

        var error = Assert.Throws<InvalidDataException>(() => JsonlDataset.Load(path));

        Assert.Contains("no training problems", error.Message);
    }
}
