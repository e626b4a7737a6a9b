using System.Text.Json.Nodes;
using Pipeline.Tasks;

namespace Pipeline.Policy.Tokenization;

/// <summary>Pipeline's own byte-level vocabulary, as a <c>tokenizer.json</c> (<see cref="Json"/>) that
/// <see cref="PolicyTokenizer"/> runs like any other: ids 0–255 are UTF-8 bytes (a byte-level BPE with no merges,
/// GPT-2's byte-to-character map), special tokens follow. The reasoning and answer tags and the two fixed halves of
/// R1-Zero's template are added tokens, so the policy sees each as one symbol (the longest match wins, so the
/// preamble is one token although it mentions the tags); pad, bos and eos are special (decoding skips them) and the
/// post-processor puts bos first. Any text round-trips: <c>Decode(Encode(s)) == s</c>.
/// <para><see cref="WithWholeNumbers"/> extends the vocabulary with one token per whole number from 10 up to a
/// maximum (single digits are already bytes), for tasks whose reasoning is arithmetic on small numbers: "48+7=55" is then
/// five tokens, so the sum is one prediction and comparing two numbers is matching two tokens, instead of a digit-by-digit
/// carry and comparison that a small model learns slowly. The longest match wins, so a larger number is split into the
/// longest numbers the vocabulary has ("12345" → "123", "45" with a maximum of 999) and still round-trips.</para></summary>
public static class ByteTokenizer
{
    public const int Pad = 256, Bos = 257, Eos = 258, ThinkOpen = 259, ThinkClose = 260, AnswerOpen = 261,
        AnswerClose = 262, Preamble = 263, AssistantTurn = 264;

    public const int VocabSize = 265;

    const string PadText = "<|pad|>", BosText = "<|bos|>", EosText = "<|eos|>";

    static readonly (int Id, string Text)[] Specials =
    [
        (Preamble, PromptTemplate.Preamble),
        (AssistantTurn, PromptTemplate.AssistantTurn),
        (AnswerClose, TemplateTags.AnswerClose),
        (AnswerOpen, TemplateTags.AnswerOpen),
        (ThinkClose, TemplateTags.ThinkClose),
        (ThinkOpen, TemplateTags.ThinkOpen),
    ];

    /// <summary>The <c>tokenizer.json</c> of this vocabulary.</summary>
    public static string Json { get; } = BuildJson(0);

    static readonly Lazy<PolicyTokenizer> Loaded = new(() => PolicyTokenizer.FromJson(Json));

    public static PolicyTokenizer Instance => Loaded.Value;

    public static string SpecialText(int id)
    {
        foreach (var (specialId, specialText) in Specials)
            if (specialId == id) return specialText;
        throw new ArgumentOutOfRangeException(nameof(id), id, "not a special token with text");
    }

    /// <summary>The smallest number <see cref="WithWholeNumbers"/> gives a token of its own (0–9 are bytes).</summary>
    public const int FirstWholeNumber = 10;

    /// <summary>The byte vocabulary plus one token per whole number 10…<paramref name="maxNumber"/>, with ids
    /// <see cref="VocabSize"/> + (n − 10) after the specials, so a byte policy's ids keep their meaning.</summary>
    public static PolicyTokenizer WithWholeNumbers(int maxNumber)
    {
        if (maxNumber < FirstWholeNumber) throw new ArgumentOutOfRangeException(nameof(maxNumber), maxNumber, $"whole-number tokens start at {FirstWholeNumber}");
        return PolicyTokenizer.FromJson(BuildJson(maxNumber));
    }

    /// <summary>The vocabulary size of <see cref="WithWholeNumbers"/>(<paramref name="maxNumber"/>), or of the plain
    /// byte vocabulary for 0.</summary>
    public static int VocabSizeWith(int maxNumber) => maxNumber switch
    {
        0 => VocabSize,
        < FirstWholeNumber => throw new ArgumentOutOfRangeException(nameof(maxNumber), maxNumber, $"whole-number tokens start at {FirstWholeNumber}"),
        _ => VocabSize + maxNumber - FirstWholeNumber + 1,
    };

    static string BuildJson(int maxNumber)
    {
        var vocab = new JsonObject();
        var characters = ByteCharacters();
        for (int b = 0; b < 256; b++) vocab[characters[b].ToString()] = b;
        var added = new JsonArray();
        foreach (var (id, text, special) in new[] { (Pad, PadText, true), (Bos, BosText, true), (Eos, EosText, true) }
                     .Concat(Specials.OrderBy(s => s.Id).Select(s => (s.Id, s.Text, false))))
            added.Add(AddedToken(id, text, special));
        for (int n = FirstWholeNumber; n <= maxNumber; n++)
            added.Add(AddedToken(VocabSize + n - FirstWholeNumber, n.ToString(System.Globalization.CultureInfo.InvariantCulture), special: false));
        static JsonObject AddedToken(int id, string content, bool special) => new()
        {
            ["id"] = id,
            ["content"] = content,
            ["single_word"] = false,
            ["lstrip"] = false,
            ["rstrip"] = false,
            ["normalized"] = false,
            ["special"] = special,
        };
        JsonObject ByteLevel() => new() { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };
        JsonObject Special() => new() { ["SpecialToken"] = new JsonObject { ["id"] = BosText, ["type_id"] = 0 } };
        JsonObject Sequence(string id, int typeId) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = ByteLevel(),
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Special(), Sequence("A", 0)),
                ["pair"] = new JsonArray(Special(), Sequence("A", 0), Special(), Sequence("B", 1)),
                ["special_tokens"] = new JsonObject
                {
                    [BosText] = new JsonObject { ["id"] = BosText, ["ids"] = new JsonArray(Bos), ["tokens"] = new JsonArray(BosText) },
                },
            },
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(),
            },
        };
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>GPT-2's reversible map from bytes to printable characters, which byte-level BPE vocabularies use.</summary>
    static char[] ByteCharacters()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) map[b] = printable.Contains(b) ? (char)b : (char)next++;
        return map;
    }
}
