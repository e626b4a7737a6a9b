using System.Numerics;

namespace Pipeline.Rewards.Math;

/// <summary>Thrown where an expression has no value at a test point (a division by zero, the root of a negative,
/// a sum, set or text where a number is needed); the point is skipped.</summary>
public sealed class MathUndefinedException(string message) : Exception(message);

/// <summary>Reads the value of an expression tree at one point (values for its variables), exactly where it can
/// (<see cref="MathValue"/>). Bounded: every node read costs one unit of a <see cref="Budget"/> shared by all the
/// points of one judgement, exponents, factorials and the size of every number are capped
/// (<see cref="MathLimits"/>); past a bound it throws <see cref="MathTooComplexException"/>. Nothing is executed.</summary>
public sealed class MathEvaluator(IReadOnlyDictionary<string, Rational> point, MathEvaluator.Budget budget)
{
    /// <summary>Work left for one judgement.</summary>
    public sealed class Budget
    {
        int left = MathLimits.MaxWork;

        public void Spend()
        {
            if (--left < 0)
                throw new MathTooComplexException($"more than {MathLimits.MaxWork} evaluation steps");
        }
    }

    public MathValue Evaluate(MathNode node) => Evaluate(node, 0);

    MathValue Evaluate(MathNode node, int depth)
    {
        budget.Spend();
        if (depth > 4 * MathLimits.MaxAnswerLength)
            throw new MathTooComplexException("expression nested too deeply");
        depth++;
        return node switch
        {
            NumberNode n => MathValue.Of(n.Value, n.IsDecimal),
            SymbolNode s => point.TryGetValue(s.Name, out var value) ? MathValue.Of(value)
                : throw new MathUndefinedException($"no value for {s.Name}"),
            ConstantNode { Name: ConstantNode.Pi } => MathValue.Approx(System.Math.PI),
            ConstantNode { Name: ConstantNode.E } => MathValue.Approx(System.Math.E),
            ConstantNode => MathValue.Approx(double.PositiveInfinity),
            NegateNode n => Negate(Evaluate(n.Operand, depth)),
            BinaryNode b => Binary(b.Operator, Evaluate(b.Left, depth), Evaluate(b.Right, depth)),
            FunctionNode f => Function(f.Name, Evaluate(f.Argument, depth)),
            RootNode r => Root(Evaluate(r.Radicand, depth), Evaluate(r.Index, depth)),
            FactorialNode f => Factorial(Evaluate(f.Operand, depth)),
            ApplyNode a => Uninterpreted(a.Name, a.Arguments.Select(x => Evaluate(x, depth)).ToList()),
            _ => throw new MathUndefinedException($"{node.GetType().Name} has no numeric value"),
        };
    }

    static MathValue Negate(MathValue v) => v.IsExact ? MathValue.Of(v.Exact.Negate(), v.FromDecimal) : MathValue.Approx(-v.Approximate, v.FromDecimal);

    static MathValue Binary(char op, MathValue a, MathValue b)
    {
        bool fromDecimal = a.FromDecimal || b.FromDecimal;
        if (op == '^')
            return Power(a, b);
        if (a.IsExact && b.IsExact)
        {
            if (op == '/' && b.Exact.IsZero)
                throw new MathUndefinedException("division by zero");
            return MathValue.Of(MathValue.Checked(op switch
            {
                '+' => Rational.Add(a.Exact, b.Exact),
                '-' => Rational.Subtract(a.Exact, b.Exact),
                '*' => Rational.Multiply(a.Exact, b.Exact),
                _ => Rational.Divide(a.Exact, b.Exact),
            }), fromDecimal);
        }
        double x = a.Approximate, y = b.Approximate;
        return Approx(op switch { '+' => x + y, '-' => x - y, '*' => x * y, _ => y == 0 ? double.NaN : x / y }, fromDecimal);
    }

    static MathValue Approx(double value, bool fromDecimal = false) =>
        double.IsNaN(value) ? throw new MathUndefinedException("no real value") : MathValue.Approx(value, fromDecimal);

    static MathValue Power(MathValue b, MathValue e)
    {
        bool fromDecimal = b.FromDecimal || e.FromDecimal;
        if (b.IsExact && e.IsExact)
        {
            if (BigInteger.Abs(e.Exact.Numerator) > MathLimits.MaxExponent * e.Exact.Denominator)
                throw new MathTooComplexException($"an exponent past {MathLimits.MaxExponent}");
            if (e.Exact.IsInteger)
            {
                int n = (int)e.Exact.Numerator;
                if (b.Exact.IsZero && n < 0)
                    throw new MathUndefinedException("division by zero");
                long bits = System.Math.Max(b.Exact.Numerator.GetBitLength(), b.Exact.Denominator.GetBitLength()) * (long)System.Math.Abs(n);
                if (bits > MathLimits.MaxBits)
                    throw new MathTooComplexException($"a power past {MathLimits.MaxBits} bits");
                var num = BigInteger.Pow(b.Exact.Numerator, System.Math.Abs(n));
                var den = BigInteger.Pow(b.Exact.Denominator, System.Math.Abs(n));
                return MathValue.Of(n >= 0 ? Rational.Of(num, den) : Rational.Of(den, num), fromDecimal);
            }
            if (e.Exact.Denominator <= 64 && b.Exact.Numerator.Sign >= 0)
            {
                var root = Root(b, MathValue.Of(Rational.FromInteger(e.Exact.Denominator)));
                if (root.IsExact)
                    return Power(root, MathValue.Of(Rational.FromInteger(e.Exact.Numerator), fromDecimal));
            }
        }
        return Approx(System.Math.Pow(b.Approximate, e.Approximate), fromDecimal);
    }

    static MathValue Root(MathValue radicand, MathValue index)
    {
        if (!index.IsExact || !index.Exact.IsInteger || index.Exact.Numerator < 1 || index.Exact.Numerator > 64)
            return Approx(System.Math.Pow(radicand.Approximate, 1 / index.Approximate), radicand.FromDecimal);
        int n = (int)index.Exact.Numerator;
        if (radicand.IsExact)
        {
            var r = radicand.Exact;
            bool negative = r.Numerator.Sign < 0;
            if (negative && n % 2 == 0)
                throw new MathUndefinedException("even root of a negative number");
            var num = MathValue.ExactRoot(BigInteger.Abs(r.Numerator), n);
            var den = MathValue.ExactRoot(r.Denominator, n);
            if (num is { } p && den is { } q)
                return MathValue.Of(Rational.Of(negative ? -p : p, q), radicand.FromDecimal);
        }
        double x = radicand.Approximate;
        return Approx(x < 0 && n % 2 == 1 ? -System.Math.Pow(-x, 1.0 / n) : System.Math.Pow(x, 1.0 / n), radicand.FromDecimal);
    }

    static MathValue Function(string name, MathValue x)
    {
        if (name == "sqrt")
            return Root(x, MathValue.Of(Rational.FromInteger(2)));
        if (name == "abs")
            return x.IsExact ? MathValue.Of(x.Exact.Numerator.Sign < 0 ? x.Exact.Negate() : x.Exact, x.FromDecimal) : Approx(System.Math.Abs(x.Approximate), x.FromDecimal);
        double v = x.Approximate;
        return Approx(name switch
        {
            "sin" => System.Math.Sin(v),
            "cos" => System.Math.Cos(v),
            "tan" => System.Math.Tan(v),
            "sec" => 1 / System.Math.Cos(v),
            "csc" => 1 / System.Math.Sin(v),
            "cot" => 1 / System.Math.Tan(v),
            "ln" or "log" => v > 0 ? System.Math.Log(v) : double.NaN,
            "exp" => System.Math.Exp(v),
            "arcsin" => System.Math.Asin(v),
            "arccos" => System.Math.Acos(v),
            "arctan" => System.Math.Atan(v),
            "sinh" => System.Math.Sinh(v),
            "cosh" => System.Math.Cosh(v),
            "tanh" => System.Math.Tanh(v),
            _ => double.NaN,
        }, x.FromDecimal);
    }

    static MathValue Factorial(MathValue x)
    {
        if (!x.IsExact || !x.Exact.IsInteger || x.Exact.Numerator.Sign < 0)
            throw new MathUndefinedException("factorial of a non-natural number");
        if (x.Exact.Numerator > MathLimits.MaxFactorial)
            throw new MathTooComplexException($"a factorial past {MathLimits.MaxFactorial}!");
        var product = BigInteger.One;
        for (int i = 2; i <= (int)x.Exact.Numerator; i++)
            product *= i;
        return MathValue.Of(Rational.FromInteger(product));
    }

    /// <summary>f(x) for an unknown f: the same arguments give the same value, different ones (almost surely)
    /// different values — a fixed pseudo-random function, so f(x) and f(y) differ and f(x) equals f(x).</summary>
    static MathValue Uninterpreted(string name, IReadOnlyList<MathValue> arguments)
    {
        ulong hash = 14695981039346656037UL;
        void Mix(string text)
        {
            foreach (char c in text)
                hash = (hash ^ c) * 1099511628211UL;
        }
        Mix(name);
        foreach (var a in arguments)
            Mix(a.IsExact ? a.Exact.ToString() : a.Approximate.ToString("G9", System.Globalization.CultureInfo.InvariantCulture));
        return MathValue.Of(Rational.Of((long)(hash % 200_003) - 100_001, 1 + (long)(hash / 200_003 % 997)));
    }
}
