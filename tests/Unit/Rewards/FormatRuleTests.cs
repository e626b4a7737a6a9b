using Pipeline.Rewards;

namespace Pipeline.Tests.Unit.Rewards;

public class FormatRuleTests
{
    [Theory]
    [InlineData("<think>reasoning</think><answer>4</answer>")]
    [InlineData("  \n<think>reasoning</think>\n\n<answer> 4 </answer>\n  ")]
    [InlineData("<think></think><answer>4</answer>")]
    [InlineData("<think>uses < and > and <b>tags</b></think><answer>x<y</answer>")]
    public void One_think_then_one_answer_is_well_formed(string completion) =>
        Assert.True(FormatRule.IsSatisfied(completion));

    [Theory]
    [InlineData("<think>a</think><answer>4</answer> Hope this helps!")]
    [InlineData("<think>a</think><think>b</think><answer>4</answer>")]
    [InlineData("<think>a</think><answer>3</answer><answer>4</answer>")]
    [InlineData("<think>a</think><answer></answer>")]
    [InlineData("<think>a</think><answer> \n </answer>")]
    [InlineData("Sure! <think>a</think><answer>4</answer>")]
    [InlineData("<think>a</think> so: <answer>4</answer>")]
    [InlineData("<answer>4</answer><think>a</think>")]
    [InlineData("<think>a <answer>3</answer></think><answer>4</answer>")]
    [InlineData("<think>a</think><answer>4 <think>b</think></answer>")]
    [InlineData("<think>a</think><answer>4")]
    [InlineData("<think>a<answer>4</answer>")]
    [InlineData("<answer>4</answer>")]
    [InlineData("<think>a</think>")]
    [InlineData("<think>a</think><answer>4</answer></answer>")]
    [InlineData("<Think>a</Think><Answer>4</Answer>")]
    [InlineData("")]
    public void Anything_else_is_badly_formed(string completion) =>
        Assert.False(FormatRule.IsSatisfied(completion));
}
