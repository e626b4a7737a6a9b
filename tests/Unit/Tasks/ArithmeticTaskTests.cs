using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Tests.Unit.Tasks;

public sealed class ArithmeticTaskTests
{
    [Fact]
    public void The_held_out_split_is_deterministic_distinct_and_of_the_configured_size()
    {
        var options = new ArithmeticOptions { Operations = "+-*", Digits = 3, HeldOutSize = 50 };

        var first = new ArithmeticTask(options).HeldOut;
        var second = new ArithmeticTask(options).HeldOut;
        var otherSeed = new ArithmeticTask(new ArithmeticOptions { Operations = "+-*", Digits = 3, HeldOutSize = 50, HeldOutSeed = 7 }).HeldOut;

        Assert.Equal(50, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(50, first.Select(p => p.Question).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"heldout-{i}"), first.Select(p => p.Id));
        Assert.NotEqual(first.Select(p => p.Question), otherSeed.Select(p => p.Question));
    }

    [Fact]
    public void Training_never_draws_a_held_out_problem_and_reaches_every_other_one()
    {
        // One-digit addition has exactly 10 × 10 = 100 questions; 20 are held out.
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = "+", Digits = 1, HeldOutSize = 20 });
        var heldOut = task.HeldOut.Select(p => p.Question).ToHashSet();
        var random = new Random(3);

        var drawn = Enumerable.Range(0, 3000).Select(_ => task.NextTraining(random).Question).ToHashSet();

        Assert.Empty(drawn.Intersect(heldOut));
        // 3000 draws from 80 questions miss one with probability below 80 · (79/80)³⁰⁰⁰ ≈ 3e-15.
        Assert.Equal(80, drawn.Count);
    }

    [Theory]
    [InlineData("+", 3)]
    [InlineData("-", 3)]
    [InlineData("*", 3)]
    [InlineData("+-*", 5)]
    public void Operands_have_the_configured_number_of_digits(string operations, int digits)
    {
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = operations, Digits = digits, HeldOutSize = 5 });
        long low = (long)Math.Pow(10, digits - 1), high = (long)Math.Pow(10, digits);
        var random = new Random(4);

        for (int i = 0; i < 500; i++)
        {
            var problem = task.NextTraining(random);
            var op = Operation.Parse(problem.Question);
            Assert.Contains(op.Op.ToString(), operations);
            Assert.InRange(op.Left, low, high - 1);
            if (op.Op == '*') Assert.InRange(op.Right, 2, 9);
            else Assert.InRange(op.Right, low, high - 1);
            Assert.True(op.Result >= 0, problem.Question);
            Assert.Equal(op.Result.ToString(), problem.Reference);
            Assert.Equal("math", problem.Kind);
            Assert.Equal(problem.Question, problem.Id);
        }
    }

    [Fact]
    public void One_digit_operands_include_zero()
    {
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = "+", Digits = 1, HeldOutSize = 1 });
        var random = new Random(6);

        var operands = Enumerable.Range(0, 1000).Select(_ => task.Draw(random)).SelectMany(op => new[] { op.Left, op.Right }).ToHashSet();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), operands.Order());
    }

    [Fact]
    public void The_name_says_operations_and_digits()
    {
        Assert.Equal("arithmetic(+-, 2 digits)", new ArithmeticTask(new ArithmeticOptions { Operations = "+-", Digits = 2, HeldOutSize = 1 }).Name);
    }

    [Theory]
    [InlineData("+", 100)]   // 10 × 10 sums
    [InlineData("-", 55)]    // 10 · 11 / 2 differences with the larger operand first
    [InlineData("*", 80)]    // 10 × 8 products (multipliers 2–9)
    [InlineData("+-*", 235)]
    public void A_held_out_split_that_would_leave_nothing_for_training_is_rejected(string operations, int distinct)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ArithmeticTask(new ArithmeticOptions { Operations = operations, Digits = 1, HeldOutSize = distinct }));

        Assert.Contains($"Task:HeldOutSize ({distinct})", error.Message);
        Assert.Contains($"{distinct} distinct problems", error.Message);
    }

    [Fact]
    public void A_held_out_split_of_all_but_one_problem_leaves_that_one_for_training()
    {
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = "-", Digits = 1, HeldOutSize = 54 });
        var random = new Random(8);

        var drawn = Enumerable.Range(0, 20).Select(_ => task.NextTraining(random).Question).Distinct().ToArray();

        var remaining = Assert.Single(drawn);
        Assert.DoesNotContain(remaining, task.HeldOut.Select(p => p.Question));
    }
}
