using System.Text;

namespace Pipeline.Data;

/// <summary>
/// Text as the database can hold it. A completion is whatever bytes the policy sampled, and a dataset's prompt is
/// whatever its file held: PostgreSQL's text type refuses U+0000, and no UTF-8 encoder can write a lone UTF-16
/// surrogate (what decoding invalid UTF-8 byte by byte can leave). Both become U+FFFD, the replacement character, so
/// the row is stored instead of failing its insert forever; the completion's token ids, stored beside it, keep the
/// exact bytes.
/// </summary>
public static class StoredText
{
    public static string Safe(string text)
    {
        if (!NeedsReplacing(text)) return text;
        var safe = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\0') safe.Append('\uFFFD');
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) safe.Append(c).Append(text[++i]);
            else if (char.IsSurrogate(c)) safe.Append('\uFFFD');
            else safe.Append(c);
        }
        return safe.ToString();
    }

    static bool NeedsReplacing(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\0') return true;
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else return true;
        }
        return false;
    }
}
