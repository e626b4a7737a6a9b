namespace Pipeline.Tasks.Arithmetic;

/// <summary>One arithmetic problem: <c>Left Op Right</c>.</summary>
public readonly record struct Operation(long Left, char Op, long Right)
{
    public long Result => Op switch
    {
        '+' => Left + Right,
        '-' => Left - Right,
        '*' => Left * Right,
        _ => throw new InvalidOperationException($"unknown operation '{Op}'"),
    };

    public string Question => $"{Left}{Op}{Right}";

    public static Operation Parse(string question)
    {
        int at = question.Length < 2 ? -1 : question.IndexOfAny(['+', '-', '*'], 1);
        if (at < 0 || !long.TryParse(question[..at], out var left) || !long.TryParse(question[(at + 1)..], out var right))
            throw new FormatException($"'{question}' is not an arithmetic question of the form a+b, a-b or a*b");
        return new Operation(left, question[at], right);
    }
}
