using Pipeline.Policy;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

public sealed class ThreadsAndScalarsTests
{
    [Fact]
    public void The_side_by_side_plan_gives_half_the_cores_and_an_explicit_count_wins()
    {
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), TorchRuntime.SideBySide(0));
        Assert.Equal(3, TorchRuntime.SideBySide(3));
        Assert.True(TorchRuntime.SideBySide(0) >= 1);
    }

    [Fact]
    public void A_constant_operand_is_one_object_per_value_and_keeps_integer_tensors_integer()
    {
        Assert.Same(Scalars.Of(1L), Scalars.Of(1L));
        Assert.Same(Scalars.Of(0.5), Scalars.Of(0.5));
        Assert.NotSame(Scalars.Of(1L), Scalars.Of(1.0));

        using var positions = tensor(new long[] { 0, 1, 2 });
        using var next = positions + Scalars.Of(1L);
        Assert.Equal(ScalarType.Int64, next.dtype);
        Assert.Equal(new long[] { 1, 2, 3 }, next.data<long>().ToArray());

        using var values = tensor(new float[] { 1, 2 });
        using var halved = values * Scalars.Of(0.5);
        Assert.Equal(ScalarType.Float32, halved.dtype);
        Assert.Equal(new float[] { 0.5f, 1f }, halved.data<float>().ToArray());
    }

    [Fact]
    public void Constant_operands_survive_garbage_collections_between_uses()
    {
        var eps = Scalars.Of(1e-5);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        using var x = tensor(new float[] { 0f });
        using var y = x + Scalars.Of(1e-5);
        Assert.Same(eps, Scalars.Of(1e-5));
        Assert.Equal(1e-5f, y.data<float>()[0], 1e-9f);
    }

    [Fact]
    public void Squared_is_x_times_x_with_gradient_two_x()
    {
        using var x = tensor(new float[] { -3f, 0.5f, 2f }, requires_grad: true);
        using var squared = x.Squared();
        Assert.Equal(new float[] { 9f, 0.25f, 4f }, squared.data<float>().ToArray());
        squared.sum().backward();
        Assert.Equal(new float[] { -6f, 1f, 4f }, x.grad!.data<float>().ToArray());
    }
}
