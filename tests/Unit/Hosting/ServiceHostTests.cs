using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;

namespace Pipeline.Tests.Unit.Hosting;

public class ServiceHostTests
{
    [Fact]
    public void No_configuration_file_is_watched_for_changes()
    {
        var builder = ServiceHost.CreateBuilder([]);

        var files = builder.Configuration.Sources.OfType<FileConfigurationSource>().ToArray();
        Assert.Contains(files, f => f.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.ReloadOnChange, $"{f.Path} reloads on change"));
    }

    [Fact]
    public void Command_line_settings_still_apply()
    {
        var builder = ServiceHost.CreateBuilder(["--Rollout:TorchThreads=3"]);

        Assert.Equal("3", builder.Configuration["Rollout:TorchThreads"]);
    }
}
