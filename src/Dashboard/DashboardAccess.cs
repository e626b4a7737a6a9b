using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Pipeline.Dashboard;

/// <summary>Who may read the dashboard: anyone on loopback, no login; from elsewhere only with
/// <see cref="DashboardOptions.Token"/>, given as a bearer token, or once as <c>?token=</c> (kept in a cookie so the
/// page's links work). With no token configured, only loopback is answered.</summary>
public sealed class DashboardAccess(IOptions<DashboardOptions> options)
{
    public const string Cookie = "pipeline_dashboard_token";

    public bool Allows(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        // No remote address: an in-process request (the test server), not a remote one.
        if (remote is null || IPAddress.IsLoopback(remote)) return true;
        var token = options.Value.Token;
        if (string.IsNullOrEmpty(token)) return false;
        var given = Presented(context);
        if (given is null || !Equal(given, token)) return false;
        if (context.Request.Query.ContainsKey("token"))
            context.Response.Cookies.Append(Cookie, given, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });
        return true;
    }

    static string? Presented(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (context.Request.Query.TryGetValue("token", out var query)) return query.ToString();
        return context.Request.Cookies.TryGetValue(Cookie, out var cookie) ? cookie : null;
    }

    static bool Equal(string given, string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
}
