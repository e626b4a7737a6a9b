using System.CommandLine;

namespace Pipeline.Cli.Hosting;

/// <summary>The setup every <c>pipeline</c> command shares: <c>--config</c>, <c>--set</c> and (unless
/// <c>json: false</c>) <c>--json</c>, settings built once, and the body run by <see cref="CommandRunner"/>, which
/// turns failures into one line on standard error and the documented exit code.</summary>
/// <example><code>
/// var k = new Option&lt;int&gt;("--k");
/// return PipelineCommand.Create("eval", "Evaluate a checkpoint.", [k], async context =>
/// {
///     context.Out.WriteLine($"k = {context.Get(k)}");
///     await context.WriteJsonAsync(new { K = context.Get(k) });
///     return ExitCodes.Success;
/// });
/// </code></example>
public static class PipelineCommand
{
    /// <param name="symbols">the command's own options and arguments, after the shared ones</param>
    /// <param name="run">the body; returns the exit code</param>
    /// <param name="json">whether the command writes results with <c>--json</c></param>
    public static Command Create(string name, string description, IEnumerable<Symbol> symbols, Func<CommandContext, Task<int>> run, bool json = true)
    {
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var jsonOption = json ? CommonOptions.Json() : null;
        var command = new Command(name, description) { config, set };
        if (jsonOption is not null) command.Options.Add(jsonOption);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option: command.Options.Add(option); break;
                case Argument argument: command.Arguments.Add(argument); break;
                default: throw new ArgumentException($"{symbol.Name}: only options and arguments belong to a pipeline command", nameof(symbols));
            }
        }
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(() =>
        {
            var jsonTarget = jsonOption is null ? null : parse.GetValue(jsonOption);
            if (jsonTarget is not null && string.IsNullOrWhiteSpace(jsonTarget)) throw new ArgumentException("--json needs a file path or '-'");
            return new CommandContext(parse, PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set)),
                PipelineConfiguration.Overrides(parse.GetValue(set)), jsonTarget, cancellation);
        }, run, cancellation));
        return command;
    }
}
