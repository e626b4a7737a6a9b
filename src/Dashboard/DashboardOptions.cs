using System.ComponentModel.DataAnnotations;

namespace Pipeline.Dashboard;

/// <summary>Section <c>Dashboard</c>: whether the learner service maps the dashboard, the token a request from
/// another machine must present, and how often a page of a training run reloads.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>The learner service maps the dashboard beside <c>/health</c> (<c>pipeline dashboard</c> always does).</summary>
    public bool Enabled { get; set; }

    /// <summary>Required of every request not from loopback (<c>Authorization: Bearer TOKEN</c>, or <c>?token=TOKEN</c>
    /// once, which sets a cookie); unset, only loopback requests are answered.</summary>
    public string? Token { get; set; }

    /// <summary>Lets Hangfire's dashboard (<c>/hangfire</c>) retry and delete jobs; by default it only shows them.</summary>
    public bool HangfireWritable { get; set; }

    /// <summary>Seconds between reloads of a page that shows a run still training.</summary>
    [Range(1, 3600)]
    public int RefreshSeconds { get; set; } = 5;
}
