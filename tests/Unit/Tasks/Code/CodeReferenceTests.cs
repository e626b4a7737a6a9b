using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks;
using Pipeline.Tasks.Code;

namespace Pipeline.Tests.Unit.Tasks.Code;

public sealed class CodeReferenceTests
{
    [Fact]
    public void Parses_stdin_tests()
    {
        var reference = CodeReference.Parse("""{"tests": [{"input": "1 2\n", "output": "3\n"}, {"input": "", "output": "0"}]}""");
        Assert.Equal([new CodeTestCase("1 2\n", "3\n"), new CodeTestCase("", "0")], reference.Tests);
        Assert.Null(reference.TestCode);
    }

    [Fact]
    public void Parses_test_code_alone_and_together_with_tests()
    {
        Assert.Equal("assert f() == 1", CodeReference.Parse("""{"test_code": "assert f() == 1"}""").TestCode);
        var both = CodeReference.Parse("""{"tests": [{"input": "x", "output": "y"}], "test_code": "assert g(2) == 4"}""");
        Assert.Single(both.Tests);
        Assert.Equal("assert g(2) == 4", both.TestCode);
    }

    [Theory]
    [InlineData("{}", "neither")]
    [InlineData("""{"tests": []}""", "neither")]
    [InlineData("""{"tests": [], "test_code": "  "}""", "neither")]
    [InlineData("""{"tests": [{"input": "1"}]}""", "not valid")]
    [InlineData("""{"tests": [{"input": "1", "output": 2}]}""", "not valid")]
    [InlineData("""{"tests": null}""", "not valid")]
    [InlineData("""{"test-code": "assert True"}""", "not valid")]
    [InlineData("""{"tests": "1 2 -> 3"}""", "not valid")]
    [InlineData("null", "null")]
    [InlineData("not json", "not valid")]
    public void RejectsBadReferencesWithAReason(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CodeReference.Parse(json));
        Assert.Contains(reason, error.Message);
        Assert.False(CodeReference.TryParse(json, out var reference, out var message));
        Assert.Null(reference);
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Round_trips_through_json()
    {
        var reference = new CodeReference { Tests = [new CodeTestCase("a\n", "b\n")], TestCode = "assert h() is None" };
        var again = CodeReference.Parse(reference.ToJson());
        Assert.Equal(reference.Tests, again.Tests);
        Assert.Equal(reference.TestCode, again.TestCode);
        Assert.DoesNotContain("test_code", new CodeReference { Tests = reference.Tests }.ToJson());
    }

    [Fact]
    public void Every_built_in_problem_has_a_valid_reference_and_a_statement()
    {
        Assert.True(CodeProblems.All.Count >= 6);
        Assert.Equal(CodeProblems.All.Count, CodeProblems.All.Select(p => p.Id).Distinct().Count());
        Assert.All(CodeProblems.All, problem =>
        {
            var reference = CodeReference.Parse(problem.Reference);
            Assert.True(reference.Tests.Count >= 3 || reference.TestCode is not null);
            Assert.Contains("<answer>", problem.Statement);
            Assert.Equal(problem.Solution, CodeExtractor.Extract($"<answer>```python\n{problem.Solution}```</answer>").Program);
            Assert.Equal(new Problem(problem.Id, problem.Statement, problem.Reference, "code"), problem.ToProblem());
        });
        Assert.Throws<KeyNotFoundException>(() => CodeProblems.Get("no-such-problem"));
    }
}
