using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Policy.Model;

/// <summary>A list of token ids compared by value, read from and written as Hugging Face writes
/// <c>eos_token_id</c>: one number, or a list when there are several.</summary>
[JsonConverter(typeof(TokenIdsConverter))]
public sealed class TokenIds(params int[] ids) : IEquatable<TokenIds>, IReadOnlyList<int>
{
    readonly int[] _ids = ids;

    public int this[int index] => _ids[index];

    public int Count => _ids.Length;

    public bool Equals(TokenIds? other) => other is not null && _ids.AsSpan().SequenceEqual(other._ids);

    public override bool Equals(object? obj) => Equals(obj as TokenIds);

    public override int GetHashCode() => _ids.Length == 0 ? 0 : HashCode.Combine(_ids.Length, _ids[0]);

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_ids).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _ids.GetEnumerator();

    public override string ToString() => $"[{string.Join(", ", _ids)}]";

    sealed class TokenIdsConverter : JsonConverter<TokenIds>
    {
        public override TokenIds Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Null => new(),
            JsonTokenType.Number => new(reader.GetInt32()),
            JsonTokenType.StartArray => new(JsonSerializer.Deserialize<int[]>(ref reader, options) ?? []),
            _ => throw new JsonException("a token id must be a number or a list of numbers"),
        };

        public override void Write(Utf8JsonWriter writer, TokenIds value, JsonSerializerOptions options)
        {
            if (value.Count == 1) writer.WriteNumberValue(value[0]);
            else JsonSerializer.Serialize(writer, value._ids, options);
        }
    }
}
