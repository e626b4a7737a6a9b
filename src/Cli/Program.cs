namespace Pipeline.Cli; static class Program { static int Main() => 0; }
