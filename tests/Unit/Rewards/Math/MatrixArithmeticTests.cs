using Pipeline.Rewards.Math;

namespace Pipeline.Tests.Unit.Rewards.Math;

public class MatrixArithmeticTests
{
    static string? Reduced(string text) => MatrixArithmetic.Reduce(MathParser.TryParse(text)!)?.ToString();

    [Fact]
    public void A_sum_is_taken_entry_by_entry() =>
        Assert.Equal("matrix[(1 + 5), (2 + 6)]",
            Reduced(@"\begin{pmatrix}1 & 2\end{pmatrix} + \begin{pmatrix}5 & 6\end{pmatrix}"));

    [Fact]
    public void A_product_is_rows_times_columns() =>
        // [1 2] · [3; 4] = [1·3 + 2·4]
        Assert.Equal("matrix[((1 * 3) + (2 * 4))]",
            Reduced(@"\begin{pmatrix}1 & 2\end{pmatrix} \begin{pmatrix}3 \\ 4\end{pmatrix}"));

    [Fact]
    public void A_number_times_a_matrix_scales_every_entry() =>
        Assert.Equal("matrix[(2 * 1), (2 * 3)]", Reduced(@"2\begin{pmatrix}1 & 3\end{pmatrix}"));

    [Theory]
    [InlineData(@"\begin{pmatrix}1 & 2\end{pmatrix} + \begin{pmatrix}5\end{pmatrix}")]   // shapes differ
    [InlineData(@"\begin{pmatrix}1 & 2\end{pmatrix} \begin{pmatrix}3 & 4\end{pmatrix}")] // 1×2 by 1×2
    [InlineData("1 + 2")]
    public void What_is_no_matrix_arithmetic_reduces_to_nothing(string text) =>
        Assert.Null(Reduced(text));

    [Fact]
    public void A_long_chain_of_products_is_too_complex() =>
        Assert.Throws<MathTooComplexException>(() =>
            Reduced(string.Concat(Enumerable.Repeat(@"\begin{pmatrix}1 & 1 \\ 1 & 0\end{pmatrix}", MatrixArithmetic.MaxOperations + 2))));
}
