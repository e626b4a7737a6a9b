using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Workflows;
using Pipeline.Orchestration;
using Pipeline.Verifier.Jsonl;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline verify</c>: scores a JSONL file of completions with the verifier's rules (math lines) or by
/// running their program against tests in the sandbox (code lines), one JSON result per input line, in order. A
/// malformed line gives an "invalid-input" result, never a crash; the command then exits 2 after writing every
/// result. The summary line goes to standard error.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--in")
        {
            Description = "JSONL input, per line {\"completion\": …, \"answer\": …, \"kind\"?: \"math\"} or " +
                          "{\"kind\": \"code\", \"completion\": …, \"tests\"?: [{\"input\": …, \"output\": …}], \"test_code\"?: …}.",
            Required = true,
        };
        var output = new Option<FileInfo?>("--out") { Description = "JSONL output (default: standard output)." };
        var explain = new Option<bool>("--explain")
        {
            Description = "Add to each math result the parsed forms of the reference and the answer (\"parsed_reference\", \"parsed_answer\").",
        };
        return PipelineCommand.Create("verify",
            "Score completions with the verifier's reward rules; code runs in the sandbox. One result per input line; " +
            "exits 2 when any line is invalid input (its result says why), after writing every result.",
            [input, output, explain], async context =>
        {
            var inFile = context.Get(input)!;
            var outFile = context.Get(output);
            if (!inFile.Exists) throw new FileNotFoundException($"input file '{inFile.FullName}' does not exist");
            if (outFile is null && context.JsonToStdout)
                throw new ArgumentException("--json - and the results both want standard output: give --out FILE, or --json FILE");
            using var services = CommandServices.Build(context.Configuration);
            var verifier = services.GetRequiredService<JsonlVerifier>();
            using var reader = inFile.OpenText();
            VerifySummary summary;
            if (outFile is null)
            {
                summary = await verifier.RunAsync(reader, Console.Out, context.Get(explain), context.Cancellation);
                await Console.Out.FlushAsync();
            }
            else
            {
                outFile.Directory?.Create();
                await using var writer = new StreamWriter(outFile.FullName);
                summary = await verifier.RunAsync(reader, writer, context.Get(explain), context.Cancellation);
            }
            context.Err.WriteLine($"{summary.Lines} lines: {summary.Correct} correct, {summary.Invalid} invalid input" +
                (summary.Refused > 0 ? $", {summary.Refused} code lines refused (the sandbox is unavailable)" : ""));
            await context.WriteJsonAsync(summary);
            return summary.Invalid > 0 ? ExitCodes.BadInput : ExitCodes.Success;
        });
    }
}
