// Checks generated Java sources without the Kafka client on the class path
// (no jars can be downloaded here, and stubs would only check the stubs).
//
// 1. Syntax: JavacTask.parse() must report no error at all.
// 2. Types: JavacTask.analyze() resolves everything else (java.*, the
//    generated class itself). Errors are accepted only when they name a
//    symbol that the file imports from org.apache.kafka, which cannot
//    resolve here; any other error fails.
//
// Usage: java CheckJava.java File1.java File2.java ...   (exit 1 on error)

import com.sun.source.util.JavacTask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class CheckJava {
    private static final Pattern KAFKA_IMPORT =
            Pattern.compile("^import (org\\.apache\\.kafka\\.[\\w.]*\\.(\\w+));", Pattern.MULTILINE);

    private static final Pattern SYMBOL = Pattern.compile("symbol:\\s+class (\\w+)\\s*$", Pattern.MULTILINE);
    private static int accepted = 0;

    public static void main(String[] args) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            System.err.println("no Java compiler in this runtime");
            System.exit(2);
        }
        int failures = 0;
        for (String arg : args) {
            failures += check(compiler, Path.of(arg));
        }
        System.out.println(args.length + " file(s) checked, " + failures + " with errors; " + accepted
                + " errors accepted because they name Kafka's classes, which are not on the class path");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int check(JavaCompiler compiler, Path file) throws Exception {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        Set<String> kafkaNames = new HashSet<>();
        Set<String> kafkaPackages = new HashSet<>();
        Matcher m = KAFKA_IMPORT.matcher(source);
        while (m.find()) {
            kafkaNames.add(m.group(2));
            kafkaPackages.add(m.group(1).substring(0, m.group(1).lastIndexOf('.')));
        }

        List<String> problems = new ArrayList<>();
        try (StandardJavaFileManager files =
                compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            // Syntax.
            DiagnosticCollector<JavaFileObject> parsed = new DiagnosticCollector<>();
            JavacTask parse = task(compiler, files, parsed, file);
            parse.parse();
            for (Diagnostic<? extends JavaFileObject> d : parsed.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    problems.add("syntax: " + describe(d));
                }
            }
            // Types, where they do not depend on Kafka's classes.
            if (problems.isEmpty()) {
                DiagnosticCollector<JavaFileObject> analyzed = new DiagnosticCollector<>();
                task(compiler, files, analyzed, file).analyze();
                for (Diagnostic<? extends JavaFileObject> d : analyzed.getDiagnostics()) {
                    if (d.getKind() != Diagnostic.Kind.ERROR) {
                        continue;
                    }
                    String message = d.getMessage(Locale.ROOT);
                    boolean kafka = false;
                    if (d.getCode().equals("compiler.err.doesnt.exist")) {
                        for (String p : kafkaPackages) {
                            kafka |= message.contains("package " + p + " ");
                        }
                    } else if (d.getCode().startsWith("compiler.err.cant.resolve")) {
                        Matcher symbol = SYMBOL.matcher(message);
                        kafka = symbol.find() && kafkaNames.contains(symbol.group(1));
                    }
                    if (kafka) {
                        accepted++;
                    } else {
                        problems.add("types: " + d.getCode() + ": " + describe(d));
                    }
                }
            }
        }
        for (String p : problems) {
            System.err.println(file + ": " + p);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    private static JavacTask task(
            JavaCompiler compiler,
            StandardJavaFileManager files,
            DiagnosticCollector<JavaFileObject> diagnostics,
            Path file) {
        // -proc:none: no annotation processors; -Xlint:all -Werror is not
        // used, warnings are the generator's business, not validity.
        return (JavacTask) compiler.getTask(
                null, files, diagnostics, List.of("-proc:none", "--release", "17"), null,
                files.getJavaFileObjects(file));
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        return "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
    }
}
