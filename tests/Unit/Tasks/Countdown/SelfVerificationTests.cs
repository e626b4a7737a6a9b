using Pipeline.Tasks.Countdown;

namespace Pipeline.Tests.Unit.Tasks.Countdown;

public sealed class SelfVerificationTests
{
    [Theory]
    [InlineData("<think>25*7=175 175-3=172 (172 != 171)\n50+25=75 75*3=225 (225 != 171)</think><answer>(50+25)*3</answer>", true)]
    [InlineData("<think>8+5=13 13*3=39 (39 != 27)\n8-5=3 3*9=27 (27 = 27)</think><answer>(8-5)*9</answer>", true)]
    [InlineData("<think>8+5=13 13*3=39 (39!=27) 9 + 3 = 12</think>", true)]
    [InlineData("<think>8-5=3 3*9=27 (27 = 27)</think><answer>(8-5)*9</answer>", false)]
    [InlineData("<think>8+5=13 13*3=39 (39 != 27)</think><answer>(8+5)*3</answer>", false)]
    [InlineData("<think>8+5=13 13*3=39</think><answer>(8+5)*3</answer>", false)]
    [InlineData("<think>39 is not 27, try 8-5=3</think>", false)]
    [InlineData("<think>25*7=175 175-3=172 (172 vs 171: no)\n25*7=175 175+3=178 (178 vs 171: no)</think><answer>25*7+3</answer>", true)]
    [InlineData("<think>8+5=13 13*3=39 (39 vs 27: no)\n8-5=3 3*9=27 (27 vs 27: yes)</think><answer>(8-5)*9</answer>", true)]
    [InlineData("<think>8-5=3 3*9=27 (27 vs 27: yes)</think><answer>(8-5)*9</answer>", false)]
    [InlineData("<think>8+5=13 13*3=39 (39 vs 27: no)</think><answer>(8+5)*3</answer>", false)]
    [InlineData("", false)]
    public void A_failed_check_followed_by_more_arithmetic_is_self_verification(string completion, bool expected) =>
        Assert.Equal(expected, SelfVerification.Detect(completion));
}
