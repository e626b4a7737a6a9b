namespace Pipeline.Rewards.Math;

/// <summary>How two answers compare: the same exactly, the same within a tolerance, or not the same.</summary>
public enum MathOutcome
{
    NotEquivalent,
    NumericMatch,
    Equivalent,
}

/// <summary>Decides whether an answer equals the reference without evaluating anything as code and without a
/// computer-algebra system, as Math-Verify's <c>verify</c> decides with SymPy:
/// <list type="bullet">
/// <item>numbers exactly, as rationals; a number written with a decimal point matches an exact value within the
/// relative <paramref name="decimalTolerance"/> (Math-Verify rounds both to 6 decimal places instead);</item>
/// <item>expressions with variables by identity testing (Schwartz–Zippel): both sides evaluated at
/// <see cref="Points"/> pseudo-random rational points from a fixed seed, exactly; where a radical or π, e, sin…
/// makes a value inexact, as doubles within the relative <see cref="NumericTolerance"/> ("numeric-match");</item>
/// <item>sets and bare lists order-insensitively, tuples, intervals (open or closed ends), ratios and matrices in
/// order; <c>a ± b</c> as the two answers; unions as sets of parts;</item>
/// <item>relations as relations: <c>a = b</c> matches <c>c = d</c> when a − b is a non-zero constant multiple of
/// c − d, inequalities when the multiple is positive (so <c>-x &gt; -1</c> is <c>x &lt; 1</c>); a chain of
/// equalities by its ends; <c>x = 5</c> or <c>x ∈ S</c> matches 5 or S when its left side is a name (a variable, a
/// function value such as f(x), a product or ratio of names), and an answer's <c>2 + 3 = 5</c> matches 5 (a
/// computation of numbers, by its final value) — <c>x + y = 5</c> does not; a reference <c>a &lt; x &lt; b</c> matches the answer (a, b) — not the other way round,
/// as Math-Verify's default.</item>
/// </list>
/// Work is bounded by one <see cref="MathEvaluator.Budget"/> per comparison.</summary>
public sealed class MathEquivalence(double decimalTolerance)
{
    /// <summary>Relative tolerance where exactness is impossible (radicals that are not perfect powers, π, e,
    /// trigonometric and other transcendental functions): doubles carry about 16 significant digits, so a
    /// 1e-9 relative difference is far below what a different answer produces and far above rounding.</summary>
    public const double NumericTolerance = 1e-9;

    /// <summary>Test points for an expression with variables.</summary>
    public const int Points = 6;

    readonly MathEvaluator.Budget budget = new();

    public MathOutcome Compare(MathNode reference, MathNode answer) =>
        Same(Top(Expand(reference)), Top(Expand(answer)));

    MathOutcome Same(MathNode gold, MathNode answer)
    {
        budget.Spend();
        if (answer is RelationNode { Operators: ["∈"] } member && IsName(member.Parts[0]))
            answer = member.Parts[1];
        if (gold is not RelationNode && answer is RelationNode relation && AnswerValue(relation) is { } value)
            return Same(gold, value);
        if (answer is not RelationNode && gold is RelationNode goldRelation)
        {
            if (NamedValue(goldRelation) is { } named)
                return Same(named, answer);
            if (AsInterval(goldRelation) is { } interval && answer is IntervalNode or CollectionNode { Kind: CollectionKind.Tuple, Items.Count: 2 })
                return Same(interval, answer);
        }
        if (gold is MatrixNode && answer is BinaryNode or NegateNode && MatrixArithmetic.Reduce(answer) is { } product)
            answer = product;
        switch (gold, answer)
        {
            case (RelationNode g, RelationNode a):
                return Relations(g, a);
            case (CollectionNode g, CollectionNode a):
                return g.Kind == CollectionKind.Tuple || a.Kind == CollectionKind.Tuple
                    ? Ordered(g.Items, a.Items)
                    : Unordered(g.Items, a.Items);
            case (IntervalNode g, IntervalNode a):
                return g.LowClosed == a.LowClosed && g.HighClosed == a.HighClosed ? Ordered([g.Low, g.High], [a.Low, a.High]) : MathOutcome.NotEquivalent;
            case (IntervalNode g, CollectionNode { Kind: CollectionKind.Tuple, Items.Count: 2 } a):
                return !g.LowClosed && !g.HighClosed ? Ordered([g.Low, g.High], a.Items) : MathOutcome.NotEquivalent;
            case (CollectionNode { Kind: CollectionKind.Tuple, Items.Count: 2 } g, IntervalNode a):
                return !a.LowClosed && !a.HighClosed ? Ordered(g.Items, [a.Low, a.High]) : MathOutcome.NotEquivalent;
            case (UnionNode g, UnionNode a):
                return Unordered(g.Parts, a.Parts);
            case (RatioNode g, RatioNode a):
                return Ordered(g.Parts, a.Parts);
            case (MatrixNode g, MatrixNode a):
                return g.Rows.Count == a.Rows.Count && g.Rows.Zip(a.Rows).All(r => r.First.Count == r.Second.Count)
                    ? Ordered(g.Rows.SelectMany(r => r).ToList(), a.Rows.SelectMany(r => r).ToList())
                    : MathOutcome.NotEquivalent;
            case (TextNode, _) or (_, TextNode):
                return Spell(gold) is { } g1 && g1 == Spell(answer) ? MathOutcome.Equivalent : MathOutcome.NotEquivalent;
        }
        if (IsScalar(gold) && IsScalar(answer))
            return Expressions(gold, answer);
        return gold.Equals(answer) ? MathOutcome.Equivalent : MathOutcome.NotEquivalent;
    }

    MathOutcome Ordered(IReadOnlyList<MathNode> gold, IReadOnlyList<MathNode> answer)
    {
        if (gold.Count != answer.Count)
            return MathOutcome.NotEquivalent;
        var outcome = MathOutcome.Equivalent;
        for (int i = 0; i < gold.Count; i++)
        {
            outcome = Worse(outcome, Same(gold[i], answer[i]));
            if (outcome == MathOutcome.NotEquivalent)
                break;
        }
        return outcome;
    }

    /// <summary>As sets: every reference item matches some answer item and every answer item some reference item
    /// (repeats do not count, as in a set).</summary>
    MathOutcome Unordered(IReadOnlyList<MathNode> gold, IReadOnlyList<MathNode> answer)
    {
        if (gold.Count == 0 || answer.Count == 0)
            return gold.Count == answer.Count ? MathOutcome.Equivalent : MathOutcome.NotEquivalent;
        var outcome = MathOutcome.Equivalent;
        var answerCovered = new bool[answer.Count];
        foreach (var g in gold)
        {
            var best = MathOutcome.NotEquivalent;
            for (int j = 0; j < answer.Count; j++)
            {
                var o = Same(g, answer[j]);
                if (o != MathOutcome.NotEquivalent)
                    answerCovered[j] = true;
                best = Better(best, o);
            }
            outcome = Worse(outcome, best);
            if (outcome == MathOutcome.NotEquivalent)
                return outcome;
        }
        for (int j = 0; j < answer.Count; j++)
        {
            if (!answerCovered[j] && !gold.Any(g => Same(g, answer[j]) != MathOutcome.NotEquivalent))
                return MathOutcome.NotEquivalent;
        }
        return outcome;
    }

    MathOutcome Relations(RelationNode gold, RelationNode answer)
    {
        var (g, a) = (Canonical(gold), Canonical(answer));
        if (!g.Operators.SequenceEqual(a.Operators))
            return MathOutcome.NotEquivalent;
        if (Ordered(g.Parts, a.Parts) is var pairwise && pairwise != MathOutcome.NotEquivalent)
            return pairwise;
        if (g.Parts.Count != 2 || g.Operators[0] == "∈" || !g.Parts.Concat(a.Parts).All(IsScalar))
            return MathOutcome.NotEquivalent;
        return Proportional(new BinaryNode('-', g.Parts[0], g.Parts[1]), new BinaryNode('-', a.Parts[0], a.Parts[1]),
            positive: g.Operators[0] is "<" or "≤");
    }

    /// <summary>A chain of equalities by its two ends; "&gt;" and "≥" turned around into "&lt;" and "≤".</summary>
    static RelationNode Canonical(RelationNode relation)
    {
        if (relation.Operators.Count > 1 && relation.Operators.All(o => o == "="))
            return new RelationNode(["="], [relation.Parts[0], relation.Parts[^1]]);
        if (relation.Operators.All(o => o is ">" or "≥"))
            return new RelationNode(relation.Operators.Reverse().Select(o => o == ">" ? "<" : "≤").ToList(), relation.Parts.Reverse().ToList());
        return relation;
    }

    /// <summary>True (as an outcome) when gold = c·answer at every test point for one constant c ≠ 0 (c &gt; 0
    /// when <paramref name="positive"/>).</summary>
    MathOutcome Proportional(MathNode gold, MathNode answer, bool positive)
    {
        MathValue? ratio = null;
        var outcome = MathOutcome.Equivalent;
        int defined = 0;
        foreach (var point in TestPoints(gold, answer))
        {
            MathValue g, a;
            try
            {
                var evaluator = new MathEvaluator(point, budget);
                (g, a) = (evaluator.Evaluate(gold), evaluator.Evaluate(answer));
            }
            catch (MathUndefinedException)
            {
                continue;
            }
            defined++;
            bool aZero = a.IsExact ? a.Exact.IsZero : a.Approximate == 0;
            if (ratio is null)
            {
                if (aZero)
                {
                    outcome = Worse(outcome, CompareValues(g, a));
                    if (outcome == MathOutcome.NotEquivalent)
                        return outcome;
                    continue;
                }
                ratio = a.IsExact && g.IsExact ? MathValue.Of(Rational.Divide(g.Exact, a.Exact)) : MathValue.Approx(g.Approximate / a.Approximate);
                bool ratioPositive = ratio.Value.IsExact ? ratio.Value.Exact.Numerator.Sign > 0 : ratio.Value.Approximate > 0;
                bool ratioZero = ratio.Value.IsExact ? ratio.Value.Exact.IsZero : ratio.Value.Approximate == 0;
                if (ratioZero || positive && !ratioPositive)
                    return MathOutcome.NotEquivalent;
                continue;
            }
            var scaled = ratio.Value.IsExact && a.IsExact
                ? MathValue.Of(Rational.Multiply(ratio.Value.Exact, a.Exact))
                : MathValue.Approx(ratio.Value.Approximate * a.Approximate);
            outcome = Worse(outcome, CompareValues(g, scaled));
            if (outcome == MathOutcome.NotEquivalent)
                return outcome;
        }
        return defined == 0 ? MathOutcome.NotEquivalent : outcome;
    }

    MathOutcome Expressions(MathNode gold, MathNode answer)
    {
        var outcome = MathOutcome.Equivalent;
        int defined = 0;
        foreach (var point in TestPoints(gold, answer))
        {
            MathValue g, a;
            try
            {
                var evaluator = new MathEvaluator(point, budget);
                (g, a) = (evaluator.Evaluate(gold), evaluator.Evaluate(answer));
            }
            catch (MathUndefinedException)
            {
                continue;
            }
            defined++;
            outcome = Worse(outcome, CompareValues(g, a));
            if (outcome == MathOutcome.NotEquivalent)
                return outcome;
        }
        if (defined == 0)
            return gold.Equals(answer) ? MathOutcome.Equivalent : MathOutcome.NotEquivalent;
        return outcome;
    }

    MathOutcome CompareValues(MathValue g, MathValue a)
    {
        bool fromDecimal = g.FromDecimal || a.FromDecimal;
        if (g.IsExact && a.IsExact)
        {
            if (g.Exact == a.Exact)
                return MathOutcome.Equivalent;
            return fromDecimal && Close(g.Approximate, a.Approximate, decimalTolerance) ? MathOutcome.NumericMatch : MathOutcome.NotEquivalent;
        }
        double tolerance = fromDecimal ? System.Math.Max(decimalTolerance, NumericTolerance) : NumericTolerance;
        return Close(g.Approximate, a.Approximate, tolerance) ? MathOutcome.NumericMatch : MathOutcome.NotEquivalent;
    }

    /// <summary>Relative closeness; infinities only equal themselves; near zero the scale is 1e-3, so 0.0001 is no
    /// match for 0.0002 at any tolerance below 0.1.</summary>
    static bool Close(double x, double y, double tolerance)
    {
        if (double.IsInfinity(x) || double.IsInfinity(y))
            return x == y;
        return System.Math.Abs(x - y) <= tolerance * System.Math.Max(1e-3, System.Math.Max(System.Math.Abs(x), System.Math.Abs(y)));
    }

    /// <summary>The same pseudo-random points for both sides, from a fixed seed so that a verdict never changes
    /// between runs: one empty point without variables, else <see cref="Points"/> points whose coordinates are
    /// rationals p/q, 1 ≤ |p| ≤ 97, 1 ≤ q ≤ 13.</summary>
    static IEnumerable<IReadOnlyDictionary<string, Rational>> TestPoints(MathNode gold, MathNode answer)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Symbols(gold, names);
        Symbols(answer, names);
        if (names.Count == 0)
        {
            yield return new Dictionary<string, Rational>();
            yield break;
        }
        var random = new Random(20_240_917);
        for (int i = 0; i < Points; i++)
        {
            yield return names.ToDictionary(n => n, _ =>
            {
                int p = random.Next(1, 98) * (random.Next(2) == 0 ? -1 : 1);
                return Rational.Of(p, random.Next(1, 14));
            });
        }
    }

    static void Symbols(MathNode node, ISet<string> names)
    {
        switch (node)
        {
            case SymbolNode s: names.Add(s.Name); break;
            case BinaryNode b: Symbols(b.Left, names); Symbols(b.Right, names); break;
            case NegateNode n: Symbols(n.Operand, names); break;
            case FunctionNode f: Symbols(f.Argument, names); break;
            case RootNode r: Symbols(r.Index, names); Symbols(r.Radicand, names); break;
            case FactorialNode f: Symbols(f.Operand, names); break;
            case ApplyNode a: foreach (var x in a.Arguments) Symbols(x, names); break;
        }
    }

    /// <summary>An answer relation's value against a reference that is no relation: its right side where the
    /// left is a name (<c>k = 5</c>, <c>x = 2 + 3 = 5</c>), else the final value of an equality chain of numbers
    /// (<c>2 + 3 = 5</c>); never for a left side with variables that is no name (<c>x + y = 5</c> is not 5).</summary>
    static MathNode? AnswerValue(RelationNode relation)
    {
        if (NamedValue(relation) is { } named)
            return named;
        if (!relation.Operators.All(o => o == "="))
            return null;
        var last = relation.Parts[^1];
        var names = new HashSet<string>();
        Symbols(relation.Parts[0], names);
        Symbols(last, names);
        return names.Count == 0 && IsScalar(relation.Parts[0]) && (IsScalar(last) || last is CollectionNode or IntervalNode) ? last : null;
    }

    /// <summary><c>x = 5</c>, <c>f(x) = 5</c>, <c>x = 1 + 4 = 5</c>, <c>x ∈ S</c>: the value a name is given.</summary>
    static MathNode? NamedValue(RelationNode relation) =>
        IsName(relation.Parts[0]) && (relation.Operators.All(o => o == "=") || relation.Operators is ["∈"])
            ? relation.Parts[^1]
            : null;

    /// <summary>A reference <c>a &lt; x ≤ b</c> as the interval (a, b].</summary>
    static IntervalNode? AsInterval(RelationNode relation)
    {
        var r = Canonical(relation);
        return r.Parts.Count == 3 && r.Operators.All(o => o is "<" or "≤") && IsName(r.Parts[1])
            ? new IntervalNode(r.Operators[0] == "≤", r.Parts[0], r.Parts[2], r.Operators[1] == "≤")
            : null;
    }

    /// <summary>What names a quantity rather than states a condition: a variable, f(x), |AB|, a product, ratio or
    /// tuple of names — no number, no sum.</summary>
    static bool IsName(MathNode node) => node switch
    {
        SymbolNode => true,
        ApplyNode a => a.Arguments.All(x => IsName(x) || x is NumberNode),
        BinaryNode { Operator: '*' or '/' } b => IsName(b.Left) && IsName(b.Right),
        FunctionNode { Name: "abs" } f => IsName(f.Argument),
        RatioNode r => r.Parts.All(IsName),
        CollectionNode { Kind: CollectionKind.Tuple } t => t.Items.All(IsName),
        _ => false,
    };

    static bool IsScalar(MathNode node) => node switch
    {
        NumberNode or SymbolNode or ConstantNode => true,
        BinaryNode b => IsScalar(b.Left) && IsScalar(b.Right),
        NegateNode n => IsScalar(n.Operand),
        FunctionNode f => IsScalar(f.Argument),
        RootNode r => IsScalar(r.Index) && IsScalar(r.Radicand),
        FactorialNode f => IsScalar(f.Operand),
        ApplyNode a => a.Arguments.All(IsScalar),
        _ => false,
    };

    /// <summary>Text as written, for <c>\text{Evelyn}</c> against <c>Evelyn</c> (read as a product of letters) or a
    /// multiple-choice letter <c>(C)</c> against <c>C</c>.</summary>
    static string? Spell(MathNode node) => node switch
    {
        TextNode t => t.Value.Trim() is ['(', var letter, ')'] ? letter.ToString() : t.Value.Trim(),
        SymbolNode s => s.Name,
        ConstantNode { Name: ConstantNode.E } => "e",
        BinaryNode { Operator: '*' } b => Spell(b.Left) + Spell(b.Right),
        _ => null,
    };

    static MathOutcome Worse(MathOutcome a, MathOutcome b) => a < b ? a : b;

    static MathOutcome Better(MathOutcome a, MathOutcome b) => a > b ? a : b;

    static MathNode Top(IReadOnlyList<MathNode> variants) =>
        variants.Count == 1 ? variants[0] : new CollectionNode(CollectionKind.List, variants);

    /// <summary>Every reading of a tree with ± in it: <c>1 ± √5</c> is 1 + √5 and 1 − √5; inside a set or list the
    /// readings join its items.</summary>
    static IReadOnlyList<MathNode> Expand(MathNode node)
    {
        var variants = node switch
        {
            PlusMinusNode pm => (pm.Left is null ? [null] : Expand(pm.Left).Cast<MathNode?>().ToList())
                .SelectMany(l => Expand(pm.Right).SelectMany(r => l is null
                    ? new MathNode[] { r, new NegateNode(r) }
                    : [new BinaryNode('+', l, r), new BinaryNode('-', l, r)]))
                .ToList(),
            BinaryNode b => Expand(b.Left).SelectMany(l => Expand(b.Right).Select(r => (MathNode)(b with { Left = l, Right = r }))).ToList(),
            NegateNode n => Expand(n.Operand).Select(o => (MathNode)new NegateNode(o)).ToList(),
            FunctionNode f => Expand(f.Argument).Select(a => (MathNode)(f with { Argument = a })).ToList(),
            CollectionNode c => [new CollectionNode(c.Kind, c.Items.SelectMany(i => c.Kind == CollectionKind.Tuple ? [Top(Expand(i))] : Expand(i)).ToList())],
            RelationNode r => r.Parts.Aggregate((IEnumerable<IReadOnlyList<MathNode>>)[[]],
                    (acc, part) => acc.SelectMany(prefix => Expand(part).Select(p => (IReadOnlyList<MathNode>)[.. prefix, p])))
                .Select(parts => (MathNode)new RelationNode(r.Operators, parts)).ToList(),
            _ => (IReadOnlyList<MathNode>)[node],
        };
        if (variants.Count > 1 << MathLimits.MaxPlusMinus)
            throw new MathTooComplexException($"more than {MathLimits.MaxPlusMinus} ± signs");
        return variants;
    }
}
