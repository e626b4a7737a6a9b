using Pipeline.Data.Stores;
using Pipeline.Orchestration.Chaos;
using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>A chaos run on standard error as it goes: one line per fault and per comeback, a progress line when the
/// run has moved.</summary>
public sealed class ChaosDisplay(IAnsiConsole console) : IChaosObserver
{
    string _last = "";

    public void Fault(double seconds, ChaosFaultRecord fault, string detail) =>
        console.MarkupLineInterpolated($"[yellow]{seconds,7:0.0} s[/] [bold]{fault.Kind}[/] {fault.Target}: {detail}");

    public void Progress(double seconds, RunSummary run)
    {
        var line = $"{run.Run.Status.ToString().ToLowerInvariant()}: {run.LatestPolicyVersion ?? 0} versions, {run.GroupsScored}/{run.Run.GroupsExpected} groups stored";
        if (line == _last) return;
        _last = line;
        console.MarkupLineInterpolated($"[grey]{seconds,7:0.0} s {line}[/]");
    }

    public void Note(string text) => console.MarkupLineInterpolated($"[grey]{text}[/]");
}
