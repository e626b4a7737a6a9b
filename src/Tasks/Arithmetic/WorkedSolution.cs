using System.Text;

namespace Pipeline.Tasks.Arithmetic;

/// <summary>Column-by-column worked solutions, from the units column up, e.g. 345+789 →
/// <c>5+9=14,4+8+1=13,3+7+1=11</c> and the answer 1134.
/// <para>With <c>misconception: true</c> the solution makes the systematic mistake a learner makes — the carry is
/// dropped (addition, multiplication) or the smaller digit is taken from the larger instead of borrowing
/// (subtraction) — and its answer follows from that mistaken work. A base model trained on a mixture leans towards
/// whichever habit dominates the corpus, so its most likely answer is often wrong while some samples are right:
/// the situation in which RL has something to find (see the pretraining corpus).</para></summary>
public static class WorkedSolution
{
    /// <summary>The reasoning and the answer it arrives at.</summary>
    public readonly record struct Work(string Reasoning, string Answer);

    public static Work Solve(Operation op, bool misconception) => op.Op switch
    {
        '+' => Columns(op, misconception, (a, b) => a + b, '+'),
        '*' => Columns(op, misconception, (a, _) => a * (int)op.Right, '*'),
        '-' => Subtract(op, misconception),
        _ => throw new InvalidOperationException($"unknown operation '{op.Op}'"),
    };

    /// <summary>Addition and single-digit multiplication: each column writes its units digit and carries the rest;
    /// the last column writes its whole value.</summary>
    static Work Columns(Operation op, bool dropCarry, Func<int, int, int> combine, char symbol)
    {
        var left = Digits(op.Left);
        var right = op.Op == '*' ? [(int)op.Right] : Digits(op.Right);
        int columns = Math.Max(left.Length, op.Op == '*' ? left.Length : right.Length);
        var text = new StringBuilder();
        var units = new List<int>();
        int carry = 0;
        string last = "";
        for (int i = 0; i < columns; i++)
        {
            int a = At(left, i);
            int b = op.Op == '*' ? right[0] : At(right, i);
            int value = combine(a, b) + (dropCarry ? 0 : carry);
            if (i > 0) text.Append(',');
            text.Append(a).Append(symbol).Append(b);
            if (!dropCarry && carry > 0) text.Append('+').Append(carry);
            text.Append('=').Append(value);
            carry = value / 10;
            if (i < columns - 1) units.Add(value % 10);
            else last = value.ToString();
        }
        units.Reverse();
        var answer = (last + string.Concat(units)).TrimStart('0');
        return new Work(text.ToString(), answer.Length == 0 ? "0" : answer);
    }

    /// <summary>Subtraction with borrowing (<c>13-7-1=5</c>: borrowed ten, paid back one), or the misconception
    /// of subtracting the smaller digit from the larger (<c>7-3=4</c>).</summary>
    static Work Subtract(Operation op, bool smallerFromLarger)
    {
        var left = Digits(op.Left);
        var right = Digits(op.Right);
        var text = new StringBuilder();
        var digits = new List<int>();
        int borrow = 0;
        for (int i = 0; i < left.Length; i++)
        {
            int a = left[i], b = At(right, i);
            if (i > 0) text.Append(',');
            int d;
            if (smallerFromLarger)
            {
                d = Math.Abs(a - b);
                text.Append(Math.Max(a, b)).Append('-').Append(Math.Min(a, b));
            }
            else
            {
                d = a - b - borrow;
                bool borrows = d < 0;
                if (borrows) d += 10;
                text.Append(borrows ? "1" : "").Append(a).Append('-').Append(b);
                if (borrow > 0) text.Append("-1");
                borrow = borrows ? 1 : 0;
            }
            text.Append('=').Append(d);
            digits.Add(d);
        }
        digits.Reverse();
        var answer = string.Concat(digits).TrimStart('0');
        return new Work(text.ToString(), answer.Length == 0 ? "0" : answer);
    }

    /// <summary>Digits from the units up.</summary>
    static int[] Digits(long value) => value.ToString().Reverse().Select(c => c - '0').ToArray();

    static int At(int[] digits, int i) => i < digits.Length ? digits[i] : 0;
}
