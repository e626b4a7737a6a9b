using Pipeline.Policy.Tokenization;
using Pipeline.Tasks;

namespace Pipeline.Tests.Unit.Policy.HuggingFace;

public sealed class PolicyTokenizerTests
{
    static PolicyTokenizer Stories => PolicyTokenizer.Of(Stories260K.Directory);

    [Fact]
    public void The_fixture_encodes_its_readme_sentence_with_bos_from_the_post_processor()
    {
        Assert.Equal(Stories260K.OnceUponATimeIds, Stories.EncodeWithSpecialTokens(Stories260K.OnceUponATime));
        Assert.Equal(Stories260K.OnceUponATimeIds[1..], Stories.Encode(Stories260K.OnceUponATime));
    }

    [Fact]
    public void The_fixture_decodes_without_bos_and_eos()
    {
        Assert.Equal(Stories260K.OnceUponATime, Stories.Decode(Stories260K.OnceUponATimeIds));
        Assert.Equal(Stories260K.OnceUponATime, Stories.Decode([.. Stories260K.OnceUponATimeIds, Stories260K.Eos]));
    }

    [Theory]
    [InlineData("héllo — 日本 🙂")]
    [InlineData("<think>3+4=7</think><answer>7</answer>")]
    [InlineData("Tom said: \"x = 12;\"\n\tand left.")]
    public void Text_outside_the_fixtures_vocabulary_round_trips_through_byte_fallback(string text)
    {
        var ids = Stories.Encode(text);

        Assert.Equal(text, Stories.Decode(ids));
        Assert.All(ids, id => Assert.InRange(id, 3, 511));
    }

    [Fact]
    public void Characters_outside_the_vocabulary_become_their_utf8_bytes()
    {
        // ids 3–258 are <0x00>…<0xFF>: byte b is id b + 3. "日" is E6 97 A5.
        var ids = Stories.Encode("日");

        Assert.Equal([0xE6 + 3, 0x97 + 3, 0xA5 + 3], ids[^3..]);
    }

    [Fact]
    public void A_rendered_prompt_starts_with_bos_and_a_completion_ends_with_eos()
    {
        var prompts = new PromptTokens(Stories, Stories260K.Eos);

        var prompt = prompts.ForQuestion("12+7");
        var completion = prompts.ForCompletion("<answer>19</answer>");

        Assert.Equal(Stories260K.Bos, prompt[0]);
        Assert.Equal(PromptTemplate.Render("12+7"), Stories.Decode(prompt));
        Assert.Equal(Stories260K.Eos, completion[^1]);
        Assert.Equal("<answer>19</answer>", Stories.Decode(completion));
    }

    [Fact]
    public void The_byte_tokenizer_is_a_tokenizer_json_that_reads_back_as_itself()
    {
        using var temp = new Pipeline.Tests.Data.TempDirectory();
        Directory.CreateDirectory(temp.Path);
        ByteTokenizer.Instance.SaveTo(temp.Path);

        var reread = PolicyTokenizer.Of(temp.Path);
        var text = PromptTemplate.Render("12+7") + "<think>é</think>";

        Assert.Equal(ByteTokenizer.Instance.EncodeWithSpecialTokens(text), reread.EncodeWithSpecialTokens(text));
        Assert.Equal(ByteTokenizer.Bos, reread.EncodeWithSpecialTokens(text)[0]);
    }
}
