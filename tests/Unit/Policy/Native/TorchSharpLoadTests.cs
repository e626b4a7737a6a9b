using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy.Native;

public sealed class TorchSharpLoadTests
{
    [Fact]
    public void Libtorch_loads_in_the_test_process_and_computes()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, [2, 3]);
        var b = tensor(new[] { 1f, 0f, 0f, 1f, 1f, 1f }, [3, 2]);

        var product = a.matmul(b); // [[1+3, 2+3], [4+6, 5+6]]

        Assert.Equal([4f, 5f, 10f, 11f], product.data<float>().ToArray());
    }
}
