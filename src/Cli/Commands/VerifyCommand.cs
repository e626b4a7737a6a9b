using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Orchestration;
using Pipeline.Verifier.Jsonl;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline verify</c>: scores a JSONL file of completions with the verifier's rules (math lines) or by
/// running their program against tests in the sandbox (code lines), one JSON result per input line, in order. A
/// malformed line gives an "invalid-input" result, never a crash.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var input = new Option<FileInfo>("--in")
        {
            Description = "JSONL input, per line {\"completion\": …, \"answer\": …, \"kind\"?: \"math\"} or " +
                          "{\"kind\": \"code\", \"completion\": …, \"tests\"?: [{\"input\": …, \"output\": …}], \"test_code\"?: …}.",
            Required = true,
        };
        var output = new Option<FileInfo?>("--out") { Description = "JSONL output (default: standard output)." };
        var command = new Command("verify", "Score completions with the verifier's reward rules; code runs in the sandbox.") { config, set, json, input, output };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var configuration = PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set));
            var inFile = parse.GetValue(input)!;
            if (!inFile.Exists) throw new FileNotFoundException($"input file '{inFile.FullName}' does not exist");
            using var services = CommandServices.Build(configuration);
            var verifier = services.GetRequiredService<JsonlVerifier>();
            using var reader = inFile.OpenText();
            var outFile = parse.GetValue(output);
            VerifySummary summary;
            if (outFile is null)
            {
                summary = await verifier.RunAsync(reader, Console.Out, cancellation);
            }
            else
            {
                outFile.Directory?.Create();
                await using var writer = new StreamWriter(outFile.FullName);
                summary = await verifier.RunAsync(reader, writer, cancellation);
            }
            await Console.Error.WriteLineAsync($"{summary.Lines} lines: {summary.Correct} correct, {summary.Invalid} invalid input" +
                (summary.Refused > 0 ? $", {summary.Refused} code lines refused (the sandbox is unavailable)" : ""));
            await JsonResults.WriteAsync(parse.GetValue(json), summary);
            return 0;
        }));
        return command;
    }
}
