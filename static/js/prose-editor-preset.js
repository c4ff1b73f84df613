// The admin's rich-text editor: django-prose-editor's "configurable" preset (the same
// extensions, from the widget's configuration), with the toolbar's buttons named in the
// admin's language. The package's own menu items carry literal English titles, so its
// default items are switched off (the Menu's documented `defaultItems` option) and the same
// items are defined here, their titles read from the admin's JavaScript catalogue.
import * as editor from "django-prose-editor/editor"

const marker = "data-django-prose-editor-portal"
const { Extension, Link, crel, createTextareaEditor, gettext, initializeEditors } = editor

// A button of the package's helper, with a translated tooltip and accessible name.
function named(button, label) {
  button.title = label
  button.setAttribute("aria-label", label)
  return button
}

// The items the Menu would define itself (see its defaultItems), for the nodes and marks
// the schema has, in the same groups and order.
const TranslatedMenuItems = Extension.create({
  name: "translatedMenuItems",

  addMenuItems({ buttons, menu }) {
    const { editor } = this
    const { nodes, marks } = editor.schema
    const heading = editor.extensionManager.extensions.find((ext) => ext.name === "heading")
    for (const level of heading ? heading.options.levels : []) {
      const label = gettext("Heading %s").replace("%s", level)
      menu.defineItem({
        name: `heading${level}`,
        groups: "blockType nodes headings",
        button: named(buttons.heading(level), label),
        option: crel(`h${level}`, { textContent: label }),
        active: (editor) => editor.isActive("heading", { level }),
        command: (editor) => editor.chain().focus().toggleHeading({ level }).run(),
      })
    }
    // [node, groups, icon, label, command, shown as active] as in the package's own items
    // (which never mark the bullet list active).
    const blocks = [
      ["bulletList", "blockType lists nodes", "format_list_bulleted", gettext("Bullet list"),
        "toggleBulletList", false],
      ["orderedList", "blockType lists nodes", "format_list_numbered", gettext("Numbered list"),
        "toggleOrderedList", true],
      ["blockquote", "nodes", "format_quote", gettext("Quote"), "toggleBlockquote", true],
    ]
    for (const [node, groups, icon, label, command, showsActive] of blocks) {
      if (!nodes[node]) continue
      menu.defineItem({
        name: node,
        groups,
        button: buttons.material(icon, label),
        option: crel("p", { textContent: label }),
        active: (editor) => showsActive && editor.isActive(node),
        enabled: (editor) => editor.can()[command](),
        command: (editor) => editor.chain().focus()[command]().run(),
      })
    }
    const paragraph = gettext("Paragraph")
    menu.defineItem({
      name: "paragraph",
      groups: "blockType nodes",
      button: buttons.material("notes", paragraph),
      option: crel("p", { textContent: paragraph }),
      active: (editor) => editor.isActive("paragraph"),
      command: (editor) => editor.chain().focus().setParagraph().run(),
    })
    const markLabels = {
      bold: ["format_bold", gettext("Bold")],
      italic: ["format_italic", gettext("Italic")],
      underline: ["format_underline", gettext("Underline")],
    }
    for (const [mark, [icon, label]] of Object.entries(markLabels)) {
      if (!marks[mark]) continue
      menu.defineItem({
        name: mark,
        groups: "marks",
        button: buttons.material(icon, label),
        active: (editor) => editor.isActive(mark),
        enabled: (editor) => editor.can().toggleMark(mark),
        command: (editor) => editor.chain().focus().toggleMark(mark).run(),
      })
    }
    if (editor.extensionManager.extensions.find((ext) => ext.name === "history")) {
      menu.defineItem({
        name: "history:undo",
        groups: "history",
        button: buttons.material("undo", gettext("Undo")),
        enabled: (editor) => editor.can().undo(),
        command: (editor) => editor.commands.undo(),
      })
      menu.defineItem({
        name: "history:redo",
        groups: "history",
        button: buttons.material("redo", gettext("Redo")),
        enabled: (editor) => editor.can().redo(),
        command: (editor) => editor.commands.redo(),
      })
    }
  },
})

// The package's Link, whose own two buttons (an extension's addMenuItems) are renamed.
const TranslatedLink = Link.extend({
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "link",
      groups: "link",
      button: buttons.material("insert_link", gettext("Insert link")),
      active: (editor) => editor.isActive("link"),
      enabled: (editor) => !editor.state.selection.empty || editor.isActive("link"),
      command: (editor) => editor.chain().addLink().focus().run(),
    })
    menu.defineItem({
      name: "unlink",
      groups: "link",
      button: buttons.material("link_off", gettext("Remove link")),
      hidden: (editor) => !editor.isActive("link"),
      command: (editor) => editor.chain().focus().unsetLink().run(),
    })
  },
})

const replaced = { Link: TranslatedLink }
const overrides = { Menu: { defaultItems: false } }

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null
  // The widget's configuration, expanded by django-prose-editor as for its configurable preset.
  const config = JSON.parse(textarea.getAttribute(marker) || "{}")
  const extensions = [TranslatedMenuItems]
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = replaced[name] || editor[name]
    if (!extension) {
      console.error(`The rich-text editor has no extension called ${name}.`)
      continue
    }
    const settings = typeof options === "object" ? { ...options, ...overrides[name] } : overrides[name]
    extensions.push(settings ? extension.configure(settings) : extension)
  }
  const instance = createTextareaEditor(textarea, extensions)
  textarea.dispatchEvent(
    new CustomEvent("prose-editor:ready", { detail: { editor: instance, textarea }, bubbles: true }),
  )
  return instance
}

initializeEditors(createEditor, `[${marker}]`)
