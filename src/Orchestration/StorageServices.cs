using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;

namespace Pipeline.Orchestration;

/// <summary>The run database alone, for commands that only read it (runs, train --wait).</summary>
public static class StorageServices
{
    public static ServiceProvider Build(IConfiguration configuration) =>
        new ServiceCollection()
            .AddSingleton(configuration)
            .AddPipelineData(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}
