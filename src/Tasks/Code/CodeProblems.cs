namespace Pipeline.Tasks.Code;

/// <summary>A built-in code task: the statement shown to the policy, its reference (tests) in stored JSON form,
/// and a known-good solution that examples and tests can submit.</summary>
public sealed record CodeProblem(string Id, string Statement, string Reference, string Solution)
{
    /// <summary>The problem as a task hands it to the pipeline: scored by the verifier's "code" rules.</summary>
    public Problem ToProblem() => new(Id, Statement, Reference, TaskKinds.Code);
}

/// <summary>A small built-in set of code problems, four judged on stdin → stdout and two by assert-style test
/// code calling a function.</summary>
public static class CodeProblems
{
    /// <summary>The reward kind of code problems: the program runs against the reference's tests in a sandbox.</summary>

    const string AnswerFormat =
        "Think in <think>…</think>, then give the complete Python 3 program in a ```python fenced block inside " +
        "<answer>…</answer>.";

    public static IReadOnlyList<CodeProblem> All { get; } =
    [
        Stdin(
            "sum-list",
            "Read whitespace-separated integers from standard input and print their sum.",
            [("1 2 3\n", "6\n"), ("-5 10\n", "5\n"), ("42\n", "42\n"), ("", "0\n"), ("100000000000 100000000000\n-7\n", "199999999993\n")],
            "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"),
        Stdin(
            "reverse-string",
            "Read one line from standard input and print it reversed.",
            [("hello\n", "olleh\n"), ("ab c\n", "c ba\n"), ("a\n", "a\n"), ("racecar!\n", "!racecar\n")],
            "print(input()[::-1])\n"),
        Stdin(
            "fizzbuzz",
            "Read an integer n and print the numbers 1 to n, one per line, but print Fizz for multiples of 3, Buzz for " +
            "multiples of 5 and FizzBuzz for multiples of both.",
            [("5\n", "1\n2\nFizz\n4\nBuzz\n"),
             ("15\n", "1\n2\nFizz\n4\nBuzz\nFizz\n7\n8\nFizz\nBuzz\n11\nFizz\n13\n14\nFizzBuzz\n"),
             ("1\n", "1\n")],
            "n = int(input())\nfor i in range(1, n + 1):\n" +
            "    print('FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else i)\n"),
        Stdin(
            "word-count",
            "Read all of standard input and print how many whitespace-separated words it contains.",
            [("hello world\n", "2\n"), ("  one   two three  \nfour\n", "4\n"), ("", "0\n")],
            "import sys\nprint(len(sys.stdin.read().split()))\n"),
        Asserts(
            "is-prime",
            "Write a function is_prime(n) that returns True if the integer n is prime and False otherwise.",
            "assert is_prime(2) == True\nassert is_prime(3) == True\nassert is_prime(1) == False\n" +
            "assert is_prime(0) == False\nassert is_prime(91) == False\nassert is_prime(97) == True\n" +
            "assert is_prime(7919) == True\nassert is_prime(7917) == False\n",
            "def is_prime(n):\n    if n < 2:\n        return False\n    d = 2\n    while d * d <= n:\n" +
            "        if n % d == 0:\n            return False\n        d += 1\n    return True\n"),
        Asserts(
            "gcd",
            "Write a function gcd(a, b) that returns the greatest common divisor of two non-negative integers.",
            "assert gcd(12, 18) == 6\nassert gcd(17, 5) == 1\nassert gcd(0, 7) == 7\nassert gcd(100, 10) == 10\n" +
            "def test_large():\n    assert gcd(2**40 * 3, 2**35 * 9) == 2**35 * 3\n",
            "def gcd(a, b):\n    while b:\n        a, b = b, a % b\n    return a\n"),
    ];

    public static CodeProblem Get(string id) =>
        All.FirstOrDefault(p => p.Id == id) ?? throw new KeyNotFoundException($"No built-in code problem '{id}'.");

    static CodeProblem Stdin(string id, string statement, (string Input, string Output)[] tests, string solution) =>
        new(id, $"{statement} {AnswerFormat}",
            new CodeReference { Tests = tests.Select(t => new CodeTestCase(t.Input, t.Output)).ToList() }.ToJson(),
            solution);

    static CodeProblem Asserts(string id, string statement, string testCode, string solution) =>
        new(id, $"{statement} {AnswerFormat}", new CodeReference { TestCode = testCode }.ToJson(), solution);
}
