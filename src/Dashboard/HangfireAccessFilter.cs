using Hangfire.Dashboard;

namespace Pipeline.Dashboard;

/// <summary>Hangfire's dashboard under the same rule as the rest (<see cref="DashboardAccess"/>), instead of
/// Hangfire's default of local requests only.</summary>
public sealed class HangfireAccessFilter(DashboardAccess access) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => access.Allows(context.GetHttpContext());
}
