package dev.coldstart.coordination.internal;

import graphql.GraphQLError;
import graphql.language.AstPrinter;
import graphql.language.DirectiveDefinition;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.SDLDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.schema.idl.DirectiveInfo;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the type registries of several GraphQL services (each parsed by graphql-java) into one:
 * the fields of the root types ({@code Query}, {@code Mutation}, {@code Subscription}, whatever
 * each service calls them) are united; every other type and directive is taken once, provided every
 * service that defines it defines it the same way. A type defined differently (another kind, or
 * other fields, arguments, values or members) is a {@link Conflict} naming the type, both services
 * and the differences. Descriptions and directives on definitions are not compared. Not
 * thread-safe; one merger per merge.
 */
public final class SchemaMerger {
    private static final String[] OPERATIONS = {"query", "mutation", "subscription"};
    private static final String[] ROOT_NAMES = {"Query", "Mutation", "Subscription"};

    /** A type (or root field, or directive) defined differently by two services. */
    public static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        private final String typeName;
        private final String firstService;
        private final String secondService;
        private final List<String> differences;

        Conflict(String typeName, String firstService, String secondService, List<String> differences) {
            super("type '" + typeName + "' is defined differently by services '" + firstService + "' and '"
                    + secondService + "': " + String.join("; ", differences));
            this.typeName = typeName;
            this.firstService = firstService;
            this.secondService = secondService;
            this.differences = List.copyOf(differences);
        }

        /**
         * The conflicting type's name, such as {@code Product} or {@code Query.product}.
         *
         * @return the name
         */
        public String typeName() {
            return typeName;
        }

        /**
         * The service that defined it first, in the order services were given.
         *
         * @return the name
         */
        public String firstService() {
            return firstService;
        }

        /**
         * The service whose definition differs.
         *
         * @return the name
         */
        public String secondService() {
            return secondService;
        }

        /**
         * What differs, one sentence each.
         *
         * @return an immutable list
         */
        public List<String> differences() {
            return differences;
        }
    }

    /** A definition and the service it was first seen in. */
    private record Owned(String service, SDLDefinition<?> definition, Map<String, String> shape, String kind) {
    }

    private final Map<String, Owned> types = new LinkedHashMap<>();
    private final Map<String, Owned> directives = new LinkedHashMap<>();
    private final List<Map<String, FieldDefinition>> rootFields = new ArrayList<>();
    private final List<Map<String, String>> rootFieldOwners = new ArrayList<>();
    private final List<SDLDefinition<?>> extensions = new ArrayList<>();

    /** Creates an empty merger. */
    public SchemaMerger() {
        for (int i = 0; i < OPERATIONS.length; i++) {
            rootFields.add(new LinkedHashMap<>());
            rootFieldOwners.add(new LinkedHashMap<>());
        }
    }

    /**
     * Adds one service's types.
     *
     * @param service the service's name
     * @param registry its parsed schema
     * @throws Conflict if it defines a type differently from a service added before
     */
    public void add(String service, TypeDefinitionRegistry registry) throws Conflict {
        String[] roots = rootNames(registry);
        for (TypeDefinition<?> t : registry.types().values()) {
            int root = indexOf(roots, t.getName());
            if (root >= 0 && t instanceof ObjectTypeDefinition) {
                addRootFields(service, root, ((ObjectTypeDefinition) t).getFieldDefinitions());
            } else {
                addType(service, t);
            }
        }
        for (ScalarTypeDefinition s : registry.scalars().values()) {
            if (!ScalarInfo.isGraphqlSpecifiedScalar(s.getName())) {
                addType(service, s);
            }
        }
        for (Map.Entry<String, List<ObjectTypeExtensionDefinition>> e : registry.objectTypeExtensions().entrySet()) {
            int root = indexOf(roots, e.getKey());
            for (ObjectTypeExtensionDefinition x : e.getValue()) {
                if (root >= 0) {
                    addRootFields(service, root, x.getFieldDefinitions());
                } else {
                    extensions.add(x);
                }
            }
        }
        extensions.addAll(flatten(registry.interfaceTypeExtensions()));
        extensions.addAll(flatten(registry.unionTypeExtensions()));
        extensions.addAll(flatten(registry.enumTypeExtensions()));
        extensions.addAll(flatten(registry.inputObjectTypeExtensions()));
        extensions.addAll(flatten(registry.scalarTypeExtensions()));
        for (DirectiveDefinition d : registry.getDirectiveDefinitions().values()) {
            if (DirectiveInfo.isGraphqlSpecifiedDirective(d.getName())) {
                continue;
            }
            Map<String, String> shape = inputShape(d.getInputValueDefinitions());
            shape.put("(locations)", d.getDirectiveLocations().stream().map(l -> l.getName()).sorted().toList().toString());
            Owned mine = new Owned(service, d, shape, "directive");
            Owned first = directives.putIfAbsent(d.getName(), mine);
            if (first != null) {
                compare("@" + d.getName(), first, mine);
            }
        }
    }

    /**
     * The merged registry, with root types named {@code Query}, {@code Mutation} and
     * {@code Subscription}.
     *
     * @return a new registry
     * @throws IllegalStateException if graphql-java refuses a definition (a problem it names)
     */
    public TypeDefinitionRegistry merged() {
        TypeDefinitionRegistry out = new TypeDefinitionRegistry();
        for (int i = 0; i < OPERATIONS.length; i++) {
            if (!rootFields.get(i).isEmpty()) {
                addOrFail(out, ObjectTypeDefinition.newObjectTypeDefinition().name(ROOT_NAMES[i])
                        .fieldDefinitions(new ArrayList<>(rootFields.get(i).values())).build());
            }
        }
        for (Owned o : types.values()) {
            addOrFail(out, o.definition());
        }
        for (Owned o : directives.values()) {
            addOrFail(out, o.definition());
        }
        for (SDLDefinition<?> x : extensions) {
            addOrFail(out, x);
        }
        return out;
    }

    private static void addOrFail(TypeDefinitionRegistry out, SDLDefinition<?> d) {
        Optional<GraphQLError> error = out.add(d);
        if (error.isPresent()) {
            throw new IllegalStateException(error.get().getMessage());
        }
    }

    private void addRootFields(String service, int root, List<FieldDefinition> fields) throws Conflict {
        Map<String, FieldDefinition> merged = rootFields.get(root);
        Map<String, String> owners = rootFieldOwners.get(root);
        for (FieldDefinition f : fields) {
            FieldDefinition first = merged.get(f.getName());
            if (first == null) {
                merged.put(f.getName(), f);
                owners.put(f.getName(), service);
                continue;
            }
            String a = signature(first);
            String b = signature(f);
            if (!a.equals(b)) {
                throw new Conflict(ROOT_NAMES[root] + "." + f.getName(), owners.get(f.getName()), service,
                        List.of("'" + owners.get(f.getName()) + "' has " + a + ", '" + service + "' has " + b));
            }
        }
    }

    private void addType(String service, TypeDefinition<?> t) throws Conflict {
        Owned mine = new Owned(service, t, shape(t), kind(t));
        Owned first = types.putIfAbsent(t.getName(), mine);
        if (first != null) {
            compare(t.getName(), first, mine);
        }
    }

    private static void compare(String name, Owned first, Owned second) throws Conflict {
        List<String> differences = new ArrayList<>();
        if (!first.kind().equals(second.kind())) {
            differences.add("'" + first.service() + "' declares it as " + first.kind() + ", '" + second.service()
                    + "' as " + second.kind());
        }
        TreeSet<String> members = new TreeSet<>(first.shape().keySet());
        members.addAll(second.shape().keySet());
        for (String m : members) {
            String a = first.shape().get(m);
            String b = second.shape().get(m);
            if (a == null) {
                differences.add(b + " only in '" + second.service() + "'");
            } else if (b == null) {
                differences.add(a + " only in '" + first.service() + "'");
            } else if (!Objects.equals(a, b)) {
                differences.add("'" + first.service() + "' has " + a + ", '" + second.service() + "' has " + b);
            }
        }
        if (!differences.isEmpty()) {
            throw new Conflict(name, first.service(), second.service(), differences);
        }
    }

    private static String kind(TypeDefinition<?> t) {
        if (t instanceof ObjectTypeDefinition) {
            return "an object type";
        }
        if (t instanceof InterfaceTypeDefinition) {
            return "an interface";
        }
        if (t instanceof InputObjectTypeDefinition) {
            return "an input type";
        }
        if (t instanceof EnumTypeDefinition) {
            return "an enum";
        }
        if (t instanceof UnionTypeDefinition) {
            return "a union";
        }
        if (t instanceof ScalarTypeDefinition) {
            return "a scalar";
        }
        return t.getClass().getSimpleName();
    }

    /** Member name to its printed signature, sorted; what two definitions must share to be equal. */
    private static Map<String, String> shape(TypeDefinition<?> t) {
        Map<String, String> shape = new TreeMap<>();
        if (t instanceof ObjectTypeDefinition o) {
            o.getFieldDefinitions().forEach(f -> shape.put(f.getName(), "field " + signature(f)));
            implementsShape(shape, o.getImplements());
        } else if (t instanceof InterfaceTypeDefinition i) {
            i.getFieldDefinitions().forEach(f -> shape.put(f.getName(), "field " + signature(f)));
            implementsShape(shape, i.getImplements());
        } else if (t instanceof InputObjectTypeDefinition in) {
            in.getInputValueDefinitions().forEach(v -> shape.put(v.getName(), "input field " + inputSignature(v)));
        } else if (t instanceof EnumTypeDefinition e) {
            for (EnumValueDefinition v : e.getEnumValueDefinitions()) {
                shape.put(v.getName(), "value " + v.getName());
            }
        } else if (t instanceof UnionTypeDefinition u) {
            for (Type<?> m : u.getMemberTypes()) {
                String name = ((TypeName) m).getName();
                shape.put(name, "member " + name);
            }
        }
        return shape;
    }

    private static void implementsShape(Map<String, String> shape, List<?> interfaces) {
        for (Object i : interfaces) {
            String name = ((TypeName) i).getName();
            shape.put("implements " + name, "'implements " + name + "'");
        }
    }

    private static Map<String, String> inputShape(List<InputValueDefinition> values) {
        Map<String, String> shape = new TreeMap<>();
        values.forEach(v -> shape.put(v.getName(), "argument " + inputSignature(v)));
        return shape;
    }

    private static String signature(FieldDefinition f) {
        StringBuilder sb = new StringBuilder("'").append(f.getName());
        if (!f.getInputValueDefinitions().isEmpty()) {
            List<String> args = new ArrayList<>();
            f.getInputValueDefinitions().forEach(a -> args.add(inputSignature(a)));
            sb.append('(').append(String.join(", ", args)).append(')');
        }
        return sb.append(": ").append(AstPrinter.printAst(f.getType())).append('\'').toString();
    }

    private static String inputSignature(InputValueDefinition v) {
        String s = v.getName() + ": " + AstPrinter.printAst(v.getType());
        if (v.getDefaultValue() != null) {
            s += " = " + AstPrinter.printAst(v.getDefaultValue());
        }
        return s;
    }

    private static String[] rootNames(TypeDefinitionRegistry registry) {
        String[] roots = ROOT_NAMES.clone();
        registry.schemaDefinition().ifPresent(schema -> {
            for (OperationTypeDefinition op : schema.getOperationTypeDefinitions()) {
                int i = indexOf(OPERATIONS, op.getName());
                if (i >= 0) {
                    roots[i] = op.getTypeName().getName();
                }
            }
        });
        return roots;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static <T extends SDLDefinition<?>> List<T> flatten(Map<String, List<T>> byName) {
        List<T> all = new ArrayList<>();
        byName.values().forEach(all::addAll);
        return all;
    }
}
