using System.Runtime.CompilerServices;

// The harness report and run-ending rules are checked directly by unit tests with fabricated runs.
[assembly: InternalsVisibleTo("Pipeline.Tests.Unit")]
[assembly: InternalsVisibleTo("Pipeline.Tests.Integration")]
