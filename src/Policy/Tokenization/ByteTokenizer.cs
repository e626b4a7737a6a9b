using System.Text;
using Pipeline.Tasks;

namespace Pipeline.Policy.Tokenization;

/// <summary>Byte-level tokenizer: ids 0–255 are UTF-8 bytes; special tokens follow. The reasoning and answer tags
/// and the two fixed halves of R1-Zero's template are special tokens, so the policy sees each as one symbol.
/// Any text round-trips: <c>Decode(Encode(s)) == s</c>.</summary>
public sealed class ByteTokenizer
{
    public const int Pad = 256, Bos = 257, Eos = 258, ThinkOpen = 259, ThinkClose = 260, AnswerOpen = 261,
        AnswerClose = 262, Preamble = 263, AssistantTurn = 264;

    public const int VocabSize = 265;

    static readonly (int Id, string Text)[] Specials =
    [
        // Longest first so that the preamble (which itself contains the tag names) wins.
        (Preamble, PromptTemplate.Preamble),
        (AssistantTurn, PromptTemplate.AssistantTurn),
        (AnswerClose, TemplateTags.AnswerClose),
        (AnswerOpen, TemplateTags.AnswerOpen),
        (ThinkClose, TemplateTags.ThinkClose),
        (ThinkOpen, TemplateTags.ThinkOpen),
    ];

    public static readonly ByteTokenizer Instance = new();

    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length);
        int start = 0, i = 0;
        while (i < text.Length)
        {
            int special = MatchSpecial(text, i);
            if (special < 0) { i++; continue; }
            AddBytes(ids, text.AsSpan(start, i - start));
            ids.Add(special);
            i += SpecialText(special).Length;
            start = i;
        }
        AddBytes(ids, text.AsSpan(start));
        return [.. ids];
    }

    /// <summary>Decodes ids to text; padding, BOS and EOS produce nothing.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (id < 256) { bytes.Add((byte)id); continue; }
            Flush(text, bytes);
            if (id is Pad or Bos or Eos) continue;
            text.Append(SpecialText(id));
        }
        Flush(text, bytes);
        return text.ToString();
    }

    public static string SpecialText(int id)
    {
        foreach (var (specialId, specialText) in Specials)
            if (specialId == id) return specialText;
        throw new ArgumentOutOfRangeException(nameof(id), id, "not a special token with text");
    }

    static int MatchSpecial(string text, int at)
    {
        if (text[at] != '<' && text[at] != 'A' && text[at] != '.') return -1;
        foreach (var (id, special) in Specials)
            if (string.CompareOrdinal(text, at, special, 0, special.Length) == 0) return id;
        return -1;
    }

    static void AddBytes(List<int> ids, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        foreach (byte b in Encoding.UTF8.GetBytes(text.ToArray())) ids.Add(b);
    }

    static void Flush(StringBuilder text, List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }
}
