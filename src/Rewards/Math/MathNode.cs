namespace Pipeline.Rewards.Math;

/// <summary>The expression tree a math answer parses to (<see cref="MathParser"/>). Records, so two trees written
/// the same way are equal; <see cref="object.ToString"/> prints the parsed form that <c>pipeline verify --explain</c>
/// shows. Nothing here is ever executed: <see cref="MathEvaluator"/> reads a tree with a bounded budget.</summary>
public abstract record MathNode;

/// <summary>A number as written; <paramref name="IsDecimal"/> when written with a decimal point (so possibly rounded:
/// it may match a fraction within the configured tolerance).</summary>
public sealed record NumberNode(Rational Value, bool IsDecimal) : MathNode
{
    public override string ToString() => IsDecimal ? $"{Value} (decimal)" : Value.ToString();
}

/// <summary>A variable: a letter, a Greek letter's name, a subscripted name (<c>a_{37}</c>, <c>F_{n-k-1}</c>).</summary>
public sealed record SymbolNode(string Name) : MathNode
{
    public override string ToString() => Name;
}

/// <summary>π, e or ∞.</summary>
public sealed record ConstantNode(string Name) : MathNode
{
    public const string Pi = "pi", E = "e", Infinity = "oo";

    public override string ToString() => Name;
}

/// <summary>Plain text that is no expression: <c>\text{Evelyn}</c>, a multiple-choice letter, <c>204_5</c>.</summary>
public sealed record TextNode(string Value) : MathNode
{
    public override string ToString() => $"\"{Value}\"";
}

/// <summary>'+', '-', '*', '/' or '^'.</summary>
public sealed record BinaryNode(char Operator, MathNode Left, MathNode Right) : MathNode
{
    public override string ToString() => $"({Left} {Operator} {Right})";
}

public sealed record NegateNode(MathNode Operand) : MathNode
{
    public override string ToString() => $"-{Operand}";
}

/// <summary><c>a \pm b</c> (Left null for a leading ±): two answers, a + b and a - b.</summary>
public sealed record PlusMinusNode(MathNode? Left, MathNode Right) : MathNode
{
    public override string ToString() => Left is null ? $"±{Right}" : $"({Left} ± {Right})";
}

/// <summary>A known function of one argument: sqrt, sin, cos, tan, sec, csc, cot, ln, log, exp, abs.</summary>
public sealed record FunctionNode(string Name, MathNode Argument) : MathNode
{
    public override string ToString() => $"{Name}({Argument})";
}

/// <summary>The <paramref name="Index"/>-th root: <c>\sqrt[3]{x}</c>.</summary>
public sealed record RootNode(MathNode Index, MathNode Radicand) : MathNode
{
    public override string ToString() => $"root({Radicand}, {Index})";
}

public sealed record FactorialNode(MathNode Operand) : MathNode
{
    public override string ToString() => $"{Operand}!";
}

/// <summary>An unknown function applied to arguments, <c>f(x)</c>: compared as an uninterpreted function.</summary>
public sealed record ApplyNode(string Name, IReadOnlyList<MathNode> Arguments) : MathNode
{
    public override string ToString() => $"{Name}({string.Join(", ", Arguments)})";

    public bool Equals(ApplyNode? other) => other is not null && Name == other.Name && Arguments.SequenceEqual(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Name, Arguments.Count);
}

/// <summary>How a bracketed or bare list of answers was written.</summary>
public enum CollectionKind
{
    /// <summary>Bare, <c>1, 2</c> or <c>6 \text{ and } 8</c>: order does not matter.</summary>
    List,
    /// <summary><c>(1, 2)</c>: ordered (or an open interval, where compared with one).</summary>
    Tuple,
    /// <summary><c>\{1, 2\}</c>: order does not matter.</summary>
    Set,
}

public sealed record CollectionNode(CollectionKind Kind, IReadOnlyList<MathNode> Items) : MathNode
{
    public override string ToString() => Kind switch
    {
        CollectionKind.Tuple => $"tuple({string.Join(", ", Items)})",
        CollectionKind.Set => $"set{{{string.Join(", ", Items)}}}",
        _ => $"list[{string.Join(", ", Items)}]",
    };

    public bool Equals(CollectionNode? other) => other is not null && Kind == other.Kind && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => HashCode.Combine(Kind, Items.Count);
}

public sealed record IntervalNode(bool LowClosed, MathNode Low, MathNode High, bool HighClosed) : MathNode
{
    public override string ToString() => $"{(LowClosed ? '[' : '(')}{Low}, {High}{(HighClosed ? ']' : ')')}";
}

/// <summary><c>A \cup B \cup …</c>.</summary>
public sealed record UnionNode(IReadOnlyList<MathNode> Parts) : MathNode
{
    public override string ToString() => string.Join(" ∪ ", Parts);

    public bool Equals(UnionNode? other) => other is not null && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => Parts.Count;
}

/// <summary><c>a : b</c> (a ratio, or a time like <c>12:00</c>): compared part by part.</summary>
public sealed record RatioNode(IReadOnlyList<MathNode> Parts) : MathNode
{
    public override string ToString() => string.Join(" : ", Parts);

    public bool Equals(RatioNode? other) => other is not null && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => Parts.Count;
}

public sealed record MatrixNode(IReadOnlyList<IReadOnlyList<MathNode>> Rows) : MathNode
{
    public override string ToString() => $"matrix[{string.Join("; ", Rows.Select(r => string.Join(", ", r)))}]";

    public bool Equals(MatrixNode? other) =>
        other is not null && Rows.Count == other.Rows.Count && Rows.Zip(other.Rows).All(p => p.First.SequenceEqual(p.Second));

    public override int GetHashCode() => Rows.Count;
}

/// <summary>A chain of relations: <c>a &lt; b ≤ c</c> is parts [a, b, c] with operators ["&lt;", "≤"]. Operators are
/// "=", "≠", "&lt;", "≤", "&gt;", "≥", "∈".</summary>
public sealed record RelationNode(IReadOnlyList<string> Operators, IReadOnlyList<MathNode> Parts) : MathNode
{
    public override string ToString() =>
        string.Concat(Parts.Select((p, i) => i == 0 ? p.ToString() : $" {Operators[i - 1]} {p}"));

    public bool Equals(RelationNode? other) =>
        other is not null && Operators.SequenceEqual(other.Operators) && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => Parts.Count;
}
