using System.Text;
using Pipeline.Policy.Tokenization;
using Pipeline.Tasks;
using static Pipeline.Policy.Tokenization.ByteTokenizer;

namespace Pipeline.Tests.Unit.Policy;

public sealed class ByteTokenizerTests
{
    static readonly PolicyTokenizer Tokenizer = ByteTokenizer.Instance;

    static int[] Bytes(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    [Fact]
    public void Special_ids_follow_the_256_byte_ids()
    {
        Assert.Equal(
            new[] { 256, 257, 258, 259, 260, 261, 262, 263, 264, 265 },
            new[] { Pad, Bos, Eos, ThinkOpen, ThinkClose, AnswerOpen, AnswerClose, Preamble, AssistantTurn, VocabSize });
    }

    [Fact]
    public void Ascii_text_is_its_bytes_and_round_trips()
    {
        const string text = "Hello, World! 12+34=46";

        var ids = Tokenizer.Encode(text);

        Assert.Equal([72, 101, 108, 108, 111, 44, 32, 87, 111, 114, 108, 100, 33, 32, 49, 50, 43, 51, 52, 61, 52, 54], ids);
        Assert.Equal(text, Tokenizer.Decode(ids));
    }

    [Fact]
    public void Multi_byte_utf8_text_is_its_utf8_bytes_and_round_trips()
    {
        const string text = "héllo — 日本 🙂";

        var ids = Tokenizer.Encode(text);

        // é = C3 A9, — = E2 80 94, 日 = E6 97 A5, 本 = E6 9C AC, 🙂 = F0 9F 99 82
        Assert.Equal(
            [0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F, 0x20, 0xE2, 0x80, 0x94, 0x20, 0xE6, 0x97, 0xA5, 0xE6, 0x9C, 0xAC, 0x20, 0xF0, 0x9F, 0x99, 0x82],
            ids);
        Assert.Equal(text, Tokenizer.Decode(ids));
    }

    [Fact]
    public void Each_tag_is_one_special_id()
    {
        var ids = Tokenizer.Encode("<think>3+4=7</think><answer>7</answer>");

        Assert.Equal([ThinkOpen, '3', '+', '4', '=', '7', ThinkClose, AnswerOpen, '7', AnswerClose], ids);
        Assert.Equal(new[] { 259, 260, 261, 262 }, new[] { ids[0], ids[6], ids[7], ids[9] });
    }

    [Fact]
    public void Each_half_of_the_template_is_one_special_id()
    {
        Assert.Equal([263], Tokenizer.Encode(PromptTemplate.Preamble));
        Assert.Equal([264], Tokenizer.Encode(PromptTemplate.AssistantTurn));
        Assert.Equal(PromptTemplate.Preamble, Tokenizer.Decode([Preamble]));
        Assert.Equal(PromptTemplate.AssistantTurn, Tokenizer.Decode([AssistantTurn]));
    }

    [Fact]
    public void A_tag_inside_other_text_is_still_one_id_and_multi_byte_neighbours_stay_whole()
    {
        // The preamble's own tag mentions, outside the full preamble, are ordinary tags.
        var ids = Tokenizer.Encode("é<answer>ü</answer> tags <think> </think>");

        Assert.Equal(
            [0xC3, 0xA9, AnswerOpen, 0xC3, 0xBC, AnswerClose, ' ', 't', 'a', 'g', 's', ' ', ThinkOpen, ' ', ThinkClose],
            ids);
        Assert.Equal("é<answer>ü</answer> tags <think> </think>", Tokenizer.Decode(ids));
    }

    [Theory]
    [InlineData("<think")]
    [InlineData("<thinking>")]
    [InlineData("</answer")]
    [InlineData("A conversation between")]
    [InlineData(". Assistant")]
    [InlineData("a<b>c")]
    public void Partial_special_text_stays_bytes(string text)
    {
        Assert.Equal(Bytes(text), Tokenizer.Encode(text));
        Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [Fact]
    public void A_rendered_prompt_is_bos_preamble_question_bytes_and_assistant_turn()
    {
        int[] expected = [Bos, Preamble, '1', '2', '+', '7', AssistantTurn];

        Assert.Equal(expected, PromptTokens.Bytes.ForQuestion("12+7"));
        Assert.Equal(expected, PromptTokens.Bytes.ForRenderedPrompt(PromptTemplate.Render("12+7")));
        Assert.Equal(PromptTemplate.Render("12+7"), Tokenizer.Decode(expected));
    }

    [Fact]
    public void Decode_skips_pad_bos_and_eos()
    {
        Assert.Equal("hi<answer>", Tokenizer.Decode([Bos, 'h', Pad, 'i', AnswerOpen, Eos, Pad]));
        Assert.Equal("", Tokenizer.Decode([Pad, Bos, Eos]));
    }

    [Fact]
    public void A_completion_ends_in_eos()
    {
        Assert.Equal([AnswerOpen, '5', AnswerClose, Eos], PromptTokens.Bytes.ForCompletion("<answer>5</answer>"));
        Assert.Equal([Eos], PromptTokens.Bytes.ForCompletion(""));
    }

    [Fact]
    public void Special_text_of_an_id_without_text_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialText(Bos));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialText('a'));
        Assert.Equal("</think>", SpecialText(ThinkClose));
    }

    static int Number(int n) => VocabSize + n - FirstWholeNumber;

    [Fact]
    public void Whole_number_tokens_make_each_number_up_to_the_maximum_one_token()
    {
        var numbers = WithWholeNumbers(1000);

        Assert.Equal([Number(48), '+', '7', '=', Number(55)], numbers.Encode("48+7=55"));
        Assert.Equal([' ', '(', Number(540), ' ', 'v', 's', ' ', Number(13), ':', ' ', 'n', 'o', ')'], numbers.Encode(" (540 vs 13: no)"));
        Assert.Equal([Number(10), Number(1000), '9'], [numbers.Encode("10")[0], numbers.Encode("1000")[0], numbers.Encode("9")[0]]);
        Assert.Equal(265, Number(10));
        Assert.Equal(1256, VocabSizeWith(1000));
        Assert.Equal(Number(1000) + 1, VocabSizeWith(1000));
    }

    [Fact]
    public void A_number_above_the_maximum_splits_into_the_longest_numbers_and_round_trips()
    {
        var numbers = WithWholeNumbers(999);

        Assert.Equal([Number(123), Number(45)], numbers.Encode("12345"));
        Assert.Equal([Number(100), '0'], numbers.Encode("1000"));
        foreach (var text in new[] { "12345", "1000", "<think>10*9=90 90*6=540 (540 vs 13: no)</think><answer>10*9*6</answer>", "héllo 2026 — 日本" })
            Assert.Equal(text, numbers.Decode(numbers.Encode(text)));
    }

    [Fact]
    public void Whole_number_tokens_keep_the_byte_ids_the_tags_and_the_template()
    {
        var numbers = WithWholeNumbers(100);

        Assert.Equal([ThinkOpen, '3', '+', '4', '=', '7', ThinkClose, AnswerOpen, Number(12), AnswerClose], numbers.Encode("<think>3+4=7</think><answer>12</answer>"));
        Assert.Equal([263], numbers.Encode(PromptTemplate.Preamble));
        Assert.Equal(Tokenizer.Encode("héllo"), numbers.Encode("héllo"));
        Assert.Equal("hi12", numbers.Decode([Bos, 'h', 'i', Number(12), Eos, Pad]));
        Assert.Equal(265, VocabSizeWith(0));
    }

    [Fact]
    public void Fewer_than_two_digits_is_not_a_whole_number_vocabulary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WithWholeNumbers(9));
        Assert.Throws<ArgumentOutOfRangeException>(() => VocabSizeWith(9));
    }
}
