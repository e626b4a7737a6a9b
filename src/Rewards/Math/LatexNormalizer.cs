using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Rewards.Math;

/// <summary>Rewrites one extracted answer into the small notation <see cref="MathParser"/> reads, as Math-Verify's
/// normalisation does (latex2sympy2_extended's <c>NormalizationConfig</c>): sizing commands (<c>\left</c>,
/// <c>\right</c>) and styling dropped; <c>\text{}</c> of a unit, percent, degrees and currency signs dropped; other
/// <c>\text{…}</c> kept as quoted text; thousands separators (<c>,</c> in groups of three, <c>\,</c>, <c>{,}</c>,
/// <c>,\!</c>, a thin or plain space) joined; relations, <c>\cdot</c>/<c>\times</c>/<c>\div</c>, <c>\pm</c>,
/// <c>\cup</c>, <c>\infty</c>, <c>\pi</c> to one symbol each; "and"/"or" between answers to commas; mixed numbers
/// (<c>3\frac{1}{2}</c>) to sums; scientific notation (<c>1.5e-3</c>) to powers of ten.
/// Every pattern is linear or bounded by <see cref="MathLimits.MaxAnswerLength"/> and a match timeout.</summary>
public static partial class LatexNormalizer
{
    static readonly string[] Units =
    [
        "cm", "mm", "km", "m", "meters", "meter", "metres", "metre", "miles", "mile", "inches", "inch", "feet", "foot", "ft",
        "yards", "kg", "g", "grams", "gram", "yuan", "dollars", "dollar", "cents", "cent", "euros", "units", "unit",
        "hours", "hour", "minutes", "minute", "seconds", "second", "days", "day", "years", "year", "degrees", "degree",
        "percent", "percentage", "pct", "square", "sq", "cubic", "mph", "km/h", "liters", "litres", "ml", "l",
        "people", "students", "ways", "points", "times", "pounds", "lbs", "ounces", "oz", "children", "adults",
    ];

    /// <summary>The answer in the parser's notation. <paramref name="plainText"/>: the answer came from plain text (no
    /// LaTeX delimiters), where a comma between digits that cannot be a thousands separator is, outside brackets, a
    /// decimal comma (<c>2,74</c>), as in Math-Verify's expression extraction.</summary>
    public static string Normalize(string answer, bool plainText)
    {
        var text = answer;
        if (!text.Contains(@"\begin", StringComparison.Ordinal))
            text = DoubledBackslash().Replace(text, @"\");  // "\\frac" written by an over-escaping model or test file
        text = text.Replace('\u2212', '-').Replace('×', '*').Replace('·', '*').Replace('÷', '/')
            .Replace('\u2009', ' ').Replace('\u202F', ' ').Replace('\u00A0', ' ').Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
        text = Sizing().Replace(text, "");
        text = FracVariant().Replace(text, @"\frac");
        text = UnwrapText(text);
        text = Degrees().Replace(text, "");
        text = text.Replace(@"\%", "").Replace("%", "").Replace(@"\$", "").Replace("$", "").Replace("€", "").Replace("£", "");
        text = BareUnits().Replace(text, "");
        text = ThousandsSeparatorCommand().Replace(text, "");
        text = ThousandsSpace().Replace(text, m => m.Value.Replace(" ", ""));
        text = SpacingCommand().Replace(text, " ");
        text = ThousandsComma().Replace(text, m => m.Value.Replace(",", ""));
        if (plainText)
            text = DecimalComma().Replace(text, "$1.$2");
        text = Words().Replace(text, ",");
        text = RepeatedComma().Replace(text, ",");
        foreach (var (pattern, replacement) in Symbols)
            text = pattern.Replace(text, replacement);
        text = Approximately(text);
        text = MixedNumber().Replace(text, @"($1+\frac{$2}{$3})");
        text = Scientific().Replace(text, "*10^{$1}");
        text = text.Trim().TrimEnd('.', ',', ';').Trim();
        return text;
    }

    static readonly (Regex Pattern, string Replacement)[] Symbols =
    [
        (Command("leqslant|leq|le"), "≤"), (new(@"<="), "≤"), (Command("geqslant|geq|ge"), "≥"), (new(@">="), "≥"),
        (Command("neq|ne"), "≠"), (new(@"!="), "≠"), (Command("lt"), "<"), (Command("gt"), ">"),
        (Command("in"), "∈"), (Command("approx|simeq|sim"), "≈"), (new(@":="), "="), (Command("equiv"), "="),
        (Command("cdot|times|ast"), "*"), (Command("div"), "/"), (Command("pm|mp"), "±"), (new("∓"), "±"),
        (Command("cup"), "∪"), (Command("infty|infinity"), "∞"), (Command("pi"), "π"), (Command("dots|ldots|cdots"), ""),
    ];

    static Regex Command(string names) => new(@"\\(?:" + names + @")(?![a-zA-Z])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>"x = 1/3 \approx 0.33": the approximation after an exact value is dropped; a lone "x \approx 11"
    /// reads as an equation.</summary>
    static string Approximately(string text)
    {
        int approx = text.IndexOf('≈');
        if (approx < 0)
            return text;
        if (text.AsSpan(0, approx).Contains('='))
        {
            int end = text.IndexOf(',', approx);
            return text[..approx] + (end < 0 ? "" : text[end..]);
        }
        return text.Replace('≈', '=');
    }

    /// <summary><c>\text{…}</c> and its kin: a unit (with its <c>^2</c>) is dropped, "and"/"or" become commas, anything
    /// else is kept as quoted text for the parser (<c>\text{Evelyn}</c>); <c>\mathrm{e}</c>-style styling of one
    /// symbol or number is simply unwrapped.</summary>
    static string UnwrapText(string text)
    {
        for (int guard = 0; guard < 64; guard++)
        {
            var match = TextCommand().Match(text);
            if (!match.Success)
                return text;
            int open = match.Index + match.Length - 1;
            int close = LatexBraces.MatchingClose(text, open);
            if (close < 0)
                return text.Remove(match.Index, match.Length);
            var content = text[(open + 1)..close].Trim();
            var after = text[(close + 1)..];
            string replacement;
            if (IsUnit(content))
            {
                replacement = "";
                after = UnitPower().Replace(after, "");
            }
            else if (content is "and" or "or" or "," or "and," or ", and")
                replacement = ",";
            else if (match.Groups[1].Value is "text" or "textbf" or "textit" or "textnormal" or "mbox" or "textrm"
                     && content.Any(char.IsLetter) && !content.StartsWith('\\'))
                replacement = TextContent().IsMatch(content) ? $"\"{content}\"" : content;
            else
                replacement = " " + content + " ";
            text = text[..match.Index] + replacement + after;
        }
        return text;
    }

    static bool IsUnit(string content)
    {
        var words = content.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && words.All(w => Units.Contains(w.TrimEnd('.', '²', '³').ToLowerInvariant(), StringComparer.Ordinal));
    }

    [GeneratedRegex(@"\\\\(?=[a-zA-Z])")]
    private static partial Regex DoubledBackslash();

    [GeneratedRegex(@"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg|displaystyle|limits|textstyle|mathrel)(?![a-zA-Z])|\\right\.|\\left\.")]
    private static partial Regex Sizing();

    [GeneratedRegex(@"\\(?:dfrac|tfrac|cfrac)(?![a-zA-Z])")]
    private static partial Regex FracVariant();

    [GeneratedRegex(@"\\(text|textbf|textit|textnormal|textrm|mbox|mathrm|mathbf|mathit|mathsf|operatorname|boldsymbol|mathbb)\s*\{")]
    private static partial Regex TextCommand();

    [GeneratedRegex(@"^[A-Za-z(][A-Za-z ()'.,-]*$")]
    private static partial Regex TextContent();

    [GeneratedRegex(@"^\s*(?:\^\s*\{?\s*[23]\s*\}?|[²³])")]
    private static partial Regex UnitPower();

    [GeneratedRegex(@"\^\s*\{?\s*\\circ\s*\}?|\\circ|°|\\degree")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"(?<=[\d\s])(?:cm|mm|km|meters|metres|miles|inches|feet|yuan|dollars|cents|units|hours|minutes|seconds|days|years|degrees|percentage|percent|pct|square|sq)(?:\^\s*\{?\s*[23]\s*\}?|[²³])?(?![A-Za-z])")]
    private static partial Regex BareUnits();

    [GeneratedRegex(@"(?<=\d)\s*(?:\\,|\\!|\{,\}|\{,\s*\}|,\\!|,\s*\\!|\\ )\s*(?=\d{3}(?!\d))")]
    private static partial Regex ThousandsSeparatorCommand();

    [GeneratedRegex(@"(?<![\d.,])[1-9]\d{0,2}(?: \d{3})+(?![\d.])")]
    private static partial Regex ThousandsSpace();

    [GeneratedRegex(@"(?<!\\)\\[,;:! ]|\\q?quad|~|\\hspace\{[^}]*\}")]
    private static partial Regex SpacingCommand();

    [GeneratedRegex(@"(?<![\d.,(\[]\s*)[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d,])")]
    private static partial Regex ThousandsComma();

    [GeneratedRegex(@"(?<![\d.,(\[{]\s*)(\d+),(\d+)(?![\d,]|\s*[)\]}])")]
    private static partial Regex DecimalComma();

    [GeneratedRegex(@"\s*(?:,\s*)?\b(?:and|or)\b\s*(?:,\s*)?")]
    private static partial Regex Words();

    [GeneratedRegex(@",(?:\s*,)+")]
    private static partial Regex RepeatedComma();

    [GeneratedRegex(@"(?<![\d.}^_{])(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}")]
    private static partial Regex MixedNumber();

    [GeneratedRegex(@"(?<=\d)[eE]([+-]?\d+)(?![\d.])")]
    private static partial Regex Scientific();
}
