using Pipeline.Tasks;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Tests.Unit.Tasks.Countdown;

public sealed class CountdownPuzzleTests
{
    [Fact]
    public void Writes_the_reference_the_key_and_the_question()
    {
        var puzzle = new CountdownPuzzle([50, 3, 25, 7], 171);

        Assert.Equal("50,3,25,7=171", puzzle.Reference);
        Assert.Equal("3,7,25,50=171", puzzle.Key);
        Assert.Equal("Using the numbers [50, 3, 25, 7], create an equation that equals 171. " +
            "You can use + - * / and each number exactly once", puzzle.Question);
    }

    [Fact]
    public void The_question_reads_well_inside_the_template() =>
        Assert.EndsWith("each number exactly once. Assistant:", PromptTemplate.Render(new CountdownPuzzle([1, 2, 3], 6).Question));

    [Theory]
    [InlineData("3,7,25,50=171", new[] { 3, 7, 25, 50 }, 171)]
    [InlineData(" 3 , 7 = 10 ", new[] { 3, 7 }, 10)]
    [InlineData("5,5,5,1=24", new[] { 5, 5, 5, 1 }, 24)]
    [InlineData("4=-2", new[] { 4 }, -2)]
    public void Reads_a_reference_back(string reference, int[] numbers, int target)
    {
        Assert.True(CountdownPuzzle.TryParseReference(reference, out var puzzle));
        Assert.Equal(numbers, puzzle.Numbers);
        Assert.Equal(target, puzzle.Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("171")]
    [InlineData("3,7,25,50")]
    [InlineData("=171")]
    [InlineData("3,,7=10")]
    [InlineData("3,7,=10")]
    [InlineData("3,-7=10")]
    [InlineData("3,7=ten")]
    [InlineData("3,7=10=10")]
    [InlineData("3.5,7=10")]
    [InlineData("99999999999,7=10")]
    public void Rejects_what_is_not_a_reference(string reference) =>
        Assert.False(CountdownPuzzle.TryParseReference(reference, out _));

    [Fact]
    public void The_reference_round_trips()
    {
        var puzzle = new CountdownPuzzle([99, 1, 99], 98);

        Assert.True(CountdownPuzzle.TryParseReference(puzzle.Reference, out var back));
        Assert.Equal(puzzle.Numbers, back.Numbers);
        Assert.Equal(puzzle.Target, back.Target);
        Assert.Equal(puzzle.Key, back.Key);
    }
}
