using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Pipeline.Rewards.Math;

/// <summary>Parses a normalised answer (<see cref="LatexNormalizer"/>) into a <see cref="MathNode"/> tree with Pidgin
/// parser combinators. The grammar, loosest first:
/// <code>
/// list     = relation (("," | ";") relation)*
/// relation = union (("=" | "≠" | "&lt;" | "≤" | "&gt;" | "≥" | "∈") union)*
/// union    = ratio ("∪" ratio)*
/// ratio    = sum (":" sum)*
/// sum      = ["+" | "-" | "±"] term (("+" | "-" | "±") term)*
/// term     = power (("*" | "/") signed-power | power)*        juxtaposition is multiplication
/// power    = primary ("!" | "^" argument | "_" argument)*
/// primary  = number | \frac a b | \sqrt[n] a | \sin… power | π | ∞ | e | letter[_sub] | \alpha… | f(args)
///          | "text" | {list} | \{list\} | (list) | [list) … | |sum| | \begin{pmatrix}…\end{pmatrix}
/// </code>
/// <c>(a, b)</c> is a tuple (compared with an interval as an open one), <c>[a, b]</c>, <c>[a, b)</c>, <c>(a, b]</c>
/// intervals; an argument is a braced group or a single digit or letter (<c>\frac12</c>, <c>\sqrt3</c>).
/// Only f, g and h before a parenthesis are functions; any other letter multiplies.</summary>
public static class MathParser
{
    /// <summary>The tree, or null when the text is not in the grammar. The caller bounds length and nesting first
    /// (<see cref="MathLimits"/>): the parser recurses once per bracket.</summary>
    public static MathNode? TryParse(string text)
    {
        try
        {
            var result = Answer.Parse(text);
            return result.Success ? result.Value : null;
        }
        catch (FormatException)
        {
            return null;  // a half-open bracket around one item, or a number Rational does not read
        }
    }

    static Parser<char, T> Tok<T>(Parser<char, T> parser) => parser.Before(SkipWhitespaces);

    static Parser<char, char> Sym(char c) => Tok(Char(c));

    static Parser<char, string> Cmd(string name) => Tok(Try(String("\\" + name).Before(Not(Letter))));

    static readonly Parser<char, MathNode> ListRef = Rec(() => ListParser!);
    static readonly Parser<char, MathNode> SumRef = Rec(() => SumParser!);
    static readonly Parser<char, MathNode> PowerRef = Rec(() => PowerParser!);

    static readonly Parser<char, MathNode> Number = Tok(
        Digit.AtLeastOnceString().Then(Char('.').Then(Digit.ManyString()).Optional(),
                (whole, fraction) => MakeNumber(whole, fraction.HasValue ? fraction.Value : null))
            .Or(Char('.').Then(Digit.AtLeastOnceString()).Select(fraction => MakeNumber("0", fraction))));

    static MathNode MakeNumber(string whole, string? fraction)
    {
        var text = fraction is null ? whole : $"{whole}.{(fraction.Length == 0 ? "0" : fraction)}";
        return Rational.TryParse(text, out var value) ? new NumberNode(value, fraction is not null) : throw new FormatException(text);
    }

    static readonly Parser<char, string> SubscriptText =
        Char('_').Then(SkipWhitespaces).Then(
            Char('{').Then(AnyCharExcept('{', '}').ManyString()).Before(Char('}')).Select(s => s.Replace(" ", ""))
                .Or(LetterOrDigit.Select(c => c.ToString())));

    /// <summary>A braced group, or one digit or letter, or a command: the argument of \frac, \sqrt, ^.</summary>
    static readonly Parser<char, MathNode> Argument = OneOf(
        Sym('{').Then(ListRef).Before(Sym('}')),
        Tok(Digit).Select(c => (MathNode)new NumberNode(Rational.FromInteger(c - '0'), false)),
        Tok(Char('-')).Then(Rec(() => Argument!)).Select(a => (MathNode)new NegateNode(a)),
        Rec(() => CommandPrimary!),
        Tok(Letter).Select(Letterlike));

    static MathNode Letterlike(char c) => c switch
    {
        'π' => new ConstantNode(ConstantNode.Pi),
        'e' => new ConstantNode(ConstantNode.E),
        _ => new SymbolNode(c.ToString()),
    };

    static readonly string[] Greek =
    [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
    ];

    static readonly string[] Functions =
    [
        "sin", "cos", "tan", "sec", "csc", "cot", "ln", "log", "exp", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    ];

    static readonly Parser<char, MathNode> Fraction =
        Cmd("frac").Then(Map((n, d) => (MathNode)new BinaryNode('/', n, d), Argument, Argument));

    static readonly Parser<char, MathNode> SquareRoot =
        Cmd("sqrt").Then(Map(
            (index, radicand) => index.HasValue ? new RootNode(index.Value, radicand) : (MathNode)new FunctionNode("sqrt", radicand),
            Sym('[').Then(ListRef).Before(Sym(']')).Optional(), Argument));

    static readonly Parser<char, MathNode> Function =
        OneOf(Functions.Select(name => Cmd(name).ThenReturn(name)))
            .Then(Sym('^').Then(Argument).Optional(), (name, power) => (name, power))
            .Then(PowerRef, (head, argument) =>
            {
                MathNode call = new FunctionNode(head.name, argument);
                return head.power.HasValue ? new BinaryNode('^', call, head.power.Value) : call;
            });

    static readonly Parser<char, MathNode> Matrix =
        Tok(Try(String(@"\begin{").Then(OneOf(Try(String("pmatrix")), Try(String("bmatrix")), Try(String("vmatrix")),
                Try(String("matrix")), String("array"))).Before(Char('}'))))
            .Then(Sym('{').Then(AnyCharExcept('}').ManyString()).Before(Sym('}')).Optional())
            .Then(SumRef.SeparatedAtLeastOnce(Sym('&')).SeparatedAndOptionallyTerminated(Tok(Try(String(@"\\")))))
            .Before(Tok(String(@"\end{").Then(AnyCharExcept('}').ManyString()).Then(Char('}'))))
            .Select(rows => (MathNode)new MatrixNode(rows.Select(r => (IReadOnlyList<MathNode>)r.ToList()).ToList()));

    static readonly Parser<char, MathNode> CommandPrimary = OneOf(
        Fraction,
        SquareRoot,
        Function,
        Matrix,
        Cmd("emptyset").Or(Cmd("varnothing")).ThenReturn((MathNode)new CollectionNode(CollectionKind.Set, [])),
        Tok(Try(String(@"\{"))).Then(ListRef.Optional()).Before(Tok(String(@"\}")))
            .Select(m => (MathNode)new CollectionNode(CollectionKind.Set, !m.HasValue ? [] : m.Value is CollectionNode { Kind: CollectionKind.List } l ? l.Items : [m.Value])),
        OneOf(Greek.Select(name => Cmd(name).ThenReturn(name)))
            .Then(Tok(SubscriptText).Optional(), (name, sub) => (MathNode)new SymbolNode(sub.HasValue ? $"{name}_{sub.Value}" : name)));

    static readonly Parser<char, MathNode> Bracketed =
        Map((open, content, close) => Bracket(open, content, close), Sym('(').Or(Sym('[')), ListRef, Sym(')').Or(Sym(']')));

    static MathNode Bracket(char open, MathNode content, char close)
    {
        var items = content is CollectionNode { Kind: CollectionKind.List } list ? list.Items : [content];
        if (items.Count == 2 && (open == '[' || close == ']'))
            return new IntervalNode(open == '[', items[0], items[1], close == ']');
        if (items.Count == 1)
            return open == '(' && close == ')' || open == '[' && close == ']' ? items[0] : throw new FormatException("half-open bracket");
        return new CollectionNode(CollectionKind.Tuple, items);
    }

    static readonly Parser<char, MathNode> Primary = OneOf(
        Number,
        CommandPrimary,
        Tok(Char('"').Then(AnyCharExcept('"').ManyString()).Before(Char('"'))).Select(s => (MathNode)new TextNode(s.Trim())),
        Sym('{').Then(ListRef).Before(Sym('}')),
        Bracketed,
        Try(Sym('|').Then(SumRef).Before(Sym('|'))).Select(v => (MathNode)new FunctionNode("abs", v)),
        Sym('∞').ThenReturn((MathNode)new ConstantNode(ConstantNode.Infinity)),
        Try(Map((name, args) => (MathNode)new ApplyNode(name.ToString(), args is CollectionNode { Kind: CollectionKind.List } l ? l.Items : [args]),
            OneOf('f', 'g', 'h'), Sym('(').Then(ListRef).Before(Sym(')')))),
        Tok(Letter.Then(SubscriptText.Optional(), (c, sub) => sub.HasValue ? new SymbolNode($"{c}_{sub.Value}") : Letterlike(c))));

    static readonly Parser<char, MathNode> PowerParser =
        Primary.Then(OneOf(
                Sym('!').ThenReturn(('!', (MathNode?)null)),
                Sym('^').Then(Argument).Select(a => ('^', (MathNode?)a)),
                Tok(SubscriptText).Select(s => ('_', (MathNode?)new TextNode(s)))).Many(),
            (primary, suffixes) => suffixes.Aggregate(primary, (node, suffix) => suffix.Item1 switch
            {
                '!' => new FactorialNode(node),
                '^' => new BinaryNode('^', node, suffix.Item2!),
                _ => new TextNode($"{node}_{((TextNode)suffix.Item2!).Value}"),
            }));

    static readonly Parser<char, MathNode> SignedPower =
        Sym('-').Then(PowerRef).Select(p => (MathNode)new NegateNode(p)).Or(Sym('+').Then(PowerRef)).Or(PowerRef);

    static readonly Parser<char, MathNode> Term =
        PowerParser.Then(OneOf(
                Sym('*').Then(SignedPower).Select(p => ('*', p)),
                Sym('/').Then(SignedPower).Select(p => ('/', p)),
                PowerParser.Select(p => ('*', p))).Many(),
            (first, rest) => rest.Aggregate(first, (left, next) => new BinaryNode(next.Item1, left, next.Item2)));

    static readonly Parser<char, MathNode> SumParser =
        Map((sign, first, rest) => rest.Aggregate(Signed(sign, first), (left, next) => next.Item1 == '±'
                ? new PlusMinusNode(left, next.Item2)
                : new BinaryNode(next.Item1, left, next.Item2)),
            OneOf(Sym('+'), Sym('-'), Sym('±')).Optional(),
            Term,
            OneOf(Sym('+'), Sym('-'), Sym('±')).Then(Term, (op, term) => (op, term)).Many());

    static MathNode Signed(Maybe<char> sign, MathNode term) =>
        !sign.HasValue || sign.Value == '+' ? term : sign.Value == '-' ? new NegateNode(term) : new PlusMinusNode(null, term);

    static readonly Parser<char, MathNode> Ratio =
        SumParser.SeparatedAtLeastOnce(Sym(':')).Select(parts => parts.ToList() is [var one] ? one : (MathNode)new RatioNode(parts.ToList()));

    static readonly Parser<char, MathNode> Union =
        Ratio.SeparatedAtLeastOnce(Sym('∪')).Select(parts => parts.ToList() is [var one] ? one : (MathNode)new UnionNode(parts.ToList()));

    static readonly Parser<char, string> RelationOperator =
        OneOf(Sym('='), Sym('≠'), Sym('<'), Sym('≤'), Sym('>'), Sym('≥'), Sym('∈')).Select(c => c.ToString());

    static readonly Parser<char, MathNode> Relation =
        Union.Then(RelationOperator.Then(Union, (op, part) => (op, part)).Many(), (first, rest) =>
        {
            var chain = rest.ToList();
            return chain.Count == 0 ? first
                : new RelationNode(chain.Select(c => c.op).ToList(), [first, .. chain.Select(c => c.part)]);
        });

    static readonly Parser<char, MathNode> ListParser =
        Relation.SeparatedAtLeastOnce(Sym(',').Or(Sym(';')))
            .Select(items => items.ToList() is [var one] ? one : (MathNode)new CollectionNode(CollectionKind.List, items.ToList()));

    static readonly Parser<char, MathNode> Answer = SkipWhitespaces.Then(ListParser).Before(End);
}
