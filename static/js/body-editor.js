/* 正文 editor (disclosure/widgets.py): django-prose-editor's bundle on every
   textarea[data-body-editor]. An enhancement only: without JavaScript, or if the bundle
   fails to load, the plain textarea stays and the server turns its text into paragraphs.
   Tiptap's own <style> injection is off (the CSP allows no inline styles); the few rules
   it would inject are in css/body-editor.css. */
const textareas = document.querySelectorAll("textarea[data-body-editor]")
const STYLE_ATTRIBUTE = /\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi

/* Pasted Word or web HTML is full of style attributes and <style> blocks. The server drops
   them anyway (disclosure/text.py); removing them before ProseMirror parses the clipboard
   keeps the browser from applying inline styles the CSP forbids. */
function withoutStyles(html) {
  return html
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    .replace(/<[a-zA-Z][^>]*>/g, (tag) => tag.replace(STYLE_ATTRIBUTE, ""))
}

function attach(m, textarea) {
  const element = document.createElement("div")
  element.className = "prose-editor body-editor"
  textarea.before(element)
  element.append(textarea)
  const label = textarea.getAttribute("data-editor-label") || ""
  const editor = new m.Editor({
    element,
    injectCSS: false,
    content: textarea.value,
    extensions: [
      m.Document, m.Paragraph, m.Text, m.HardBreak, m.Dropcursor, m.Gapcursor, m.History, m.Menu,
      m.Bold, m.Italic, m.Underline, m.Strike, m.Subscript, m.Superscript,
      m.Heading.configure({ levels: [2, 3, 4] }), m.BulletList, m.OrderedList, m.ListItem,
      m.Blockquote, m.HorizontalRule, m.Link,
      m.Table, m.TableRow, m.TableHeader, m.TableCell,
    ],
    editorProps: {
      attributes: { role: "textbox", "aria-multiline": "true", "aria-label": label },
      transformPastedHTML: withoutStyles,
    },
    onUpdate({ editor }) {
      const html = editor.getHTML()
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html
    },
  })
  element.dataset.ready = "true"
  return editor
}

if (textareas.length) {
  import(textareas[0].getAttribute("data-body-editor")).then((m) => {
    for (const textarea of textareas) attach(m, textarea)
  }, () => {})
}
