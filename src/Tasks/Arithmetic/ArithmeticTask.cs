using System.Globalization;

namespace Pipeline.Tasks.Arithmetic;

/// <summary>Multi-digit addition, subtraction and single-digit multiplication with a fixed held-out split.</summary>
public sealed class ArithmeticTask : ITaskSource
{
    readonly ArithmeticOptions _options;
    readonly HashSet<string> _heldOutQuestions;

    public ArithmeticTask(ArithmeticOptions options)
    {
        _options = options;
        long distinct = DistinctQuestions(options);
        if (options.HeldOutSize >= distinct)
            throw new ArgumentException($"Task:HeldOutSize ({options.HeldOutSize}) must be smaller than the {distinct} distinct problems of {Name}, so that some are left for training");
        var random = new Random(options.HeldOutSeed);
        var heldOut = new List<Problem>();
        _heldOutQuestions = [];
        while (heldOut.Count < options.HeldOutSize)
        {
            var op = Draw(random);
            if (_heldOutQuestions.Add(op.Question)) heldOut.Add(ToProblem(op, $"heldout-{heldOut.Count}"));
        }
        HeldOut = heldOut;
    }

    public string Name => $"arithmetic({_options.Operations}, {_options.Digits} digits)";

    public IReadOnlyList<Problem> HeldOut { get; }

    public Problem NextTraining(Random random)
    {
        while (true)
        {
            var op = Draw(random);
            if (!_heldOutQuestions.Contains(op.Question)) return ToProblem(op, op.Question);
        }
    }

    public Operation Draw(Random random)
    {
        char symbol = _options.Operations[random.Next(_options.Operations.Length)];
        long low = Pow10(_options.Digits - 1), high = Pow10(_options.Digits);
        if (_options.Digits == 1) low = 0;
        long a = random.NextInt64(low, high);
        long b = symbol == '*' ? random.Next(2, 10) : random.NextInt64(low, high);
        if (symbol == '-' && b > a) (a, b) = (b, a);
        return new Operation(a, symbol, b);
    }

    /// <summary>How many different questions <see cref="Draw"/> can produce: n² sums, n(n+1)/2 differences (the
    /// larger operand first) and 8n products, for the n values an operand can take.</summary>
    static long DistinctQuestions(ArithmeticOptions options)
    {
        long n = Pow10(options.Digits) - (options.Digits == 1 ? 0 : Pow10(options.Digits - 1));
        return options.Operations.Distinct().Sum(symbol => symbol switch
        {
            '+' => n * n,
            '-' => n * (n + 1) / 2,
            '*' => n * 8,
            _ => 0L,
        });
    }

    static Problem ToProblem(Operation op, string id) =>
        new(id, op.Question, op.Result.ToString(CultureInfo.InvariantCulture), TaskKinds.Math);

    static long Pow10(int n)
    {
        long value = 1;
        for (int i = 0; i < n; i++) value *= 10;
        return value;
    }
}
