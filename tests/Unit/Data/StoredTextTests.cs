using Pipeline.Data;

namespace Pipeline.Tests.Data;

public sealed class StoredTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a\0b", "a\uFFFDb")]
    [InlineData("\0\0", "\uFFFD\uFFFD")]
    [InlineData("pair \uD83D\uDE00 kept", "pair \uD83D\uDE00 kept")]
    public void NUL_becomes_a_replacement_character_and_the_rest_is_kept(string text, string expected) =>
        Assert.Equal(expected, StoredText.Safe(text));

    // Lone surrogates are built here, not in attributes: attribute strings are stored as UTF-8, which cannot hold them.
    [Fact]
    public void Lone_surrogates_become_replacement_characters_and_pairs_are_kept()
    {
        const char high = '\uD83D', low = '\uDE00';
        Assert.Equal("lone high \uFFFD at end \uFFFD", StoredText.Safe($"lone high {high} at end {high}"));
        Assert.Equal("lone low \uFFFD.", StoredText.Safe($"lone low {low}."));
        Assert.Equal("swapped \uFFFD\uFFFD", StoredText.Safe($"swapped {low}{high}"));
        Assert.Equal($"pair {high}{low}\uFFFD", StoredText.Safe($"pair {high}{low}{high}"));
    }

    [Fact]
    public void Text_that_needs_nothing_is_returned_as_it_is()
    {
        var text = "<think>2+2</think><answer>4</answer>";
        Assert.Same(text, StoredText.Safe(text));
    }
}
