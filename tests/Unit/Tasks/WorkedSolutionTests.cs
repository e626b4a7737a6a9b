using System.Globalization;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Tests.Unit.Tasks;

public sealed class WorkedSolutionTests
{
    static void AssertWork(string question, bool misconception, string reasoning, string answer)
    {
        var work = WorkedSolution.Solve(Operation.Parse(question), misconception);

        Assert.Equal(reasoning, work.Reasoning);
        Assert.Equal(answer, work.Answer);
    }

    [Theory]
    [InlineData("345+789", false, "5+9=14,4+8+1=13,3+7+1=11", "1134")]
    [InlineData("345+789", true, "5+9=14,4+8=12,3+7=10", "1024")]             // every carry dropped
    [InlineData("95+7", false, "5+7=12,9+0+1=10", "102")]                     // operands of different lengths
    [InlineData("95+7", true, "5+7=12,9+0=9", "92")]
    [InlineData("0+0", false, "0+0=0", "0")]
    public void Addition(string question, bool misconception, string reasoning, string answer) =>
        AssertWork(question, misconception, reasoning, answer);

    [Theory]
    [InlineData("503-278", false, "13-8=5,10-7-1=2,5-2-1=2", "225")]          // borrow, borrow again, pay back
    [InlineData("503-278", true, "8-3=5,7-0=7,5-2=3", "375")]                  // smaller digit from the larger
    [InlineData("100-99", false, "10-9=1,10-9-1=0,1-0-1=0", "1")]             // leading zeros dropped
    [InlineData("100-99", true, "9-0=9,9-0=9,1-0=1", "199")]
    [InlineData("5-5", false, "5-5=0", "0")]
    public void Subtraction(string question, bool misconception, string reasoning, string answer) =>
        AssertWork(question, misconception, reasoning, answer);

    [Theory]
    [InlineData("47*6", false, "7*6=42,4*6+4=28", "282")]
    [InlineData("47*6", true, "7*6=42,4*6=24", "242")]                         // the carry of 4 dropped
    [InlineData("0*7", false, "0*7=0", "0")]
    public void Multiplication(string question, bool misconception, string reasoning, string answer) =>
        AssertWork(question, misconception, reasoning, answer);

    [Theory]
    [InlineData("123+456", "3+6=9,2+5=7,1+4=5", "579")]
    [InlineData("987-654", "7-4=3,8-5=3,9-6=3", "333")]
    [InlineData("32*3", "2*3=6,3*3=9", "96")]
    public void Without_carries_or_borrows_both_modes_agree(string question, string reasoning, string answer)
    {
        AssertWork(question, misconception: false, reasoning, answer);
        AssertWork(question, misconception: true, reasoning, answer);
    }

    [Fact]
    public void The_correct_mode_always_arrives_at_the_result()
    {
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = "+-*", Digits = 4, HeldOutSize = 1 });
        var random = new Random(5);

        for (int i = 0; i < 2000; i++)
        {
            var op = task.Draw(random);
            Assert.Equal(op.Result.ToString(CultureInfo.InvariantCulture), WorkedSolution.Solve(op, misconception: false).Answer);
        }
    }

    [Fact]
    public void An_unknown_operation_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => WorkedSolution.Solve(new Operation(6, '/', 3), misconception: false));
    }
}
