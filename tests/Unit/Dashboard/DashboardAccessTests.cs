using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Pipeline.Dashboard;

namespace Pipeline.Tests.Unit.Dashboard;

public sealed class DashboardAccessTests
{
    [Fact]
    public void Loopback_needs_no_token()
    {
        var access = Access(token: "s3cret");
        Assert.True(access.Allows(Request(IPAddress.Loopback)));
        Assert.True(access.Allows(Request(IPAddress.IPv6Loopback)));
    }

    [Fact]
    public void Another_machine_is_refused_without_a_configured_token_and_needs_the_token_when_one_is()
    {
        var remote = IPAddress.Parse("10.1.2.3");
        Assert.False(Access(token: null).Allows(Request(remote)));
        Assert.False(Access(token: "s3cret").Allows(Request(remote)));
        Assert.False(Access(token: "s3cret").Allows(Request(remote, bearer: "wrong")));
        Assert.True(Access(token: "s3cret").Allows(Request(remote, bearer: "s3cret")));
    }

    [Fact]
    public void A_token_in_the_query_is_accepted_once_and_kept_in_a_cookie()
    {
        var context = Request(IPAddress.Parse("10.1.2.3"));
        context.Request.QueryString = new QueryString("?token=s3cret");

        Assert.True(Access(token: "s3cret").Allows(context));
        Assert.Contains(DashboardAccess.Cookie, context.Response.Headers.SetCookie.ToString());
    }

    static DashboardAccess Access(string? token) => new(Options.Create(new DashboardOptions { Token = token }));

    static DefaultHttpContext Request(IPAddress remote, string? bearer = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote;
        if (bearer is not null) context.Request.Headers.Authorization = $"Bearer {bearer}";
        return context;
    }
}
