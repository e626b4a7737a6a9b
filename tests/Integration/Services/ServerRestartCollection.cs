namespace Pipeline.Tests.Integration.Services;

/// <summary>Tests that stop and start the shared RabbitMQ or PostgreSQL server. Stopping a server ends every client's
/// connection, so these run alone, after every other collection of the assembly (CI once saw a storage test, running
/// beside a PostgreSQL restart, fail with 57P01 "terminating connection due to administrator command").</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerRestartCollection : ICollectionFixture<DistributedFixture>
{
    public const string Name = "Server restarts";
}
