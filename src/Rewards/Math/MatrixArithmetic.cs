namespace Pipeline.Rewards.Math;

/// <summary>Sums, differences and products of matrices (and a number times a matrix) written out as one matrix of
/// entry expressions, so that <c>A + B</c> can be compared with its value entry by entry. Only the tree is
/// rewritten; nothing is evaluated here.</summary>
public static class MatrixArithmetic
{
    /// <summary>Matrix operations one answer may hold: each product can double the size of the entries' trees.</summary>
    public const int MaxOperations = 8;

    /// <summary>The matrix the tree stands for, or null when it is not matrix arithmetic (or the shapes do not fit).</summary>
    /// <exception cref="MathTooComplexException">more than <see cref="MaxOperations"/> matrix operations</exception>
    public static MatrixNode? Reduce(MathNode node)
    {
        int operations = 0;
        return Reduce(node, ref operations);
    }

    static MatrixNode? Reduce(MathNode node, ref int operations)
    {
        switch (node)
        {
            case MatrixNode m:
                return m;
            case NegateNode n when Reduce(n.Operand, ref operations) is { } m:
                return Counted(ref operations, Map(m, e => new NegateNode(e)));
            case BinaryNode { Operator: '+' or '-' or '*' } b:
                var left = Reduce(b.Left, ref operations);
                var right = left is null && b.Operator != '*' ? null : Reduce(b.Right, ref operations);
                if (left is not null && right is not null)
                {
                    if (b.Operator == '*')
                        return Counted(ref operations, Product(left, right));
                    return SameShape(left, right)
                        ? Counted(ref operations, new MatrixNode(left.Rows.Select((row, i) => (IReadOnlyList<MathNode>)row
                            .Select((e, j) => (MathNode)new BinaryNode(b.Operator, e, right.Rows[i][j])).ToList()).ToList()))
                        : null;
                }
                return b.Operator == '*' && left is null && right is not null
                    ? Counted(ref operations, Map(right, e => new BinaryNode('*', b.Left, e)))
                    : null;
            default:
                return null;
        }
    }

    static MatrixNode? Counted(ref int operations, MatrixNode? result)
    {
        if (result is not null && ++operations > MaxOperations)
            throw new MathTooComplexException($"more than {MaxOperations} matrix operations");
        return result;
    }

    static bool SameShape(MatrixNode a, MatrixNode b) =>
        a.Rows.Count == b.Rows.Count && a.Rows.Zip(b.Rows).All(r => r.First.Count == r.Second.Count);

    static MatrixNode Map(MatrixNode m, Func<MathNode, MathNode> entry) =>
        new(m.Rows.Select(row => (IReadOnlyList<MathNode>)row.Select(entry).ToList()).ToList());

    static MatrixNode? Product(MatrixNode a, MatrixNode b)
    {
        int inner = a.Rows[0].Count;
        if (a.Rows.Any(r => r.Count != inner) || b.Rows.Count != inner || b.Rows.Any(r => r.Count != b.Rows[0].Count))
            return null;
        return new MatrixNode(a.Rows.Select(row => (IReadOnlyList<MathNode>)Enumerable.Range(0, b.Rows[0].Count)
            .Select(j => Enumerable.Range(0, inner)
                .Select(k => (MathNode)new BinaryNode('*', row[k], b.Rows[k][j]))
                .Aggregate((sum, term) => new BinaryNode('+', sum, term)))
            .ToList()).ToList());
    }
}
