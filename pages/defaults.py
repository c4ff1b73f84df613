"""The footer's pages as a new portal starts, in English and Spanish: the data migration adds
them, and editors adapt them in the admin (tests that empty the database add them again)."""

PAGES = {
    ("about", "en"): ("About the portal", """
<p>The Cluster Portal publishes the profiles of cluster organisations: the associations of
companies, universities and public bodies that work together in one industry and region.</p>
<p>Each profile is written by the cluster's own staff and checked by the portal's editors
before it is published. A company or a cluster abroad can search the directory, compare
clusters and read whom each already works with and which funded programmes it takes part in.</p>
<h2>Open data</h2>
<p>Every profile can also be downloaded as a PDF and as open data (JSON), and any search of the
directory as a spreadsheet (CSV).</p>"""),
    ("about", "es"): ("Acerca del portal", """
<p>El Portal de Clústeres publica los perfiles de organizaciones clúster: las asociaciones de
empresas, universidades y organismos públicos que colaboran en un sector y una región.</p>
<p>Cada perfil lo escribe el propio personal del clúster y lo revisan los editores del portal
antes de publicarlo. Una empresa o un clúster de otro país puede buscar en el directorio,
comparar clústeres y leer con quién colabora cada uno y en qué programas financiados participa.</p>
<h2>Datos abiertos</h2>
<p>Cada perfil puede descargarse también en PDF y como datos abiertos (JSON), y cualquier
búsqueda del directorio como hoja de cálculo (CSV).</p>"""),
    ("contact", "en"): ("Contact", """
<p>To contact a cluster, use the management team's addresses on its profile.</p>
<p>For questions about the portal itself, a profile you think is wrong, or to have your
cluster organisation listed, write to the portal's editors at
<a href="mailto:editors@cluster-portal.example">editors@cluster-portal.example</a>.
We answer within five working days.</p>"""),
    ("contact", "es"): ("Contacto", """
<p>Para ponerse en contacto con un clúster, utilice las direcciones de su equipo de gestión que
figuran en su perfil.</p>
<p>Para preguntas sobre el propio portal, un perfil que le parezca erróneo, o para que su
organización clúster aparezca en él, escriba a los editores del portal a
<a href="mailto:editors@cluster-portal.example">editors@cluster-portal.example</a>.
Respondemos en un plazo de cinco días laborables.</p>"""),
    ("accessibility", "en"): ("Accessibility statement", """
<p>The portal is meant to be usable by everyone, including people who use a screen reader, a
keyboard alone, magnification or voice control.</p>
<h2>Conformance</h2>
<p>The public pages aim to conform to the Web Content Accessibility Guidelines (WCAG) 2.2 at
level AA. Every public page type is checked automatically, in every language, at desktop and
phone widths, before each release.</p>
<h2>Known limitations</h2>
<ul>
<li>The texts of each profile are written by the cluster; the portal marks their language but
cannot check that they are clear.</li>
<li>Logos are images supplied by the clusters; the cluster's name is always given beside them.</li>
</ul>
<h2>Feedback</h2>
<p>If something on the portal is hard to use, tell us through the contact page: we answer
within five working days.</p>"""),
    ("accessibility", "es"): ("Declaración de accesibilidad", """
<p>El portal quiere ser utilizable por todas las personas, también por quienes usan un lector de
pantalla, solo el teclado, ampliación o control por voz.</p>
<h2>Conformidad</h2>
<p>Las páginas públicas pretenden cumplir las Pautas de Accesibilidad para el Contenido Web
(WCAG) 2.2 en el nivel AA. Cada tipo de página pública se comprueba automáticamente, en cada
idioma, en anchura de escritorio y de móvil, antes de cada versión.</p>
<h2>Limitaciones conocidas</h2>
<ul>
<li>Los textos de cada perfil los escribe el clúster; el portal marca su idioma pero no puede
comprobar que sean claros.</li>
<li>Los logotipos son imágenes aportadas por los clústeres; el nombre del clúster figura
siempre a su lado.</li>
</ul>
<h2>Comentarios</h2>
<p>Si algo del portal le resulta difícil de usar, díganoslo a través de la página de contacto:
respondemos en un plazo de cinco días laborables.</p>"""),
    ("privacy", "en"): ("Privacy and cookies", """
<p>Visitors can read the whole portal without an account. The public pages set no cookies and
use no analytics or third-party services: nothing is loaded from another site.</p>
<h2>What the portal keeps</h2>
<ul>
<li>The profiles, including the names and work addresses of each cluster's management team,
which the cluster publishes itself and can change or remove at any time.</li>
<li>The server's logs (address, page and time of each request), kept for at most 30 days to
keep the service running and secure.</li>
</ul>
<h2>Cluster staff and editors</h2>
<p>People who log in to edit profiles get a session cookie, which is needed to stay logged in
and ends when they log out. Who changed what in a profile is kept in its change history.</p>
<p>To see, correct or remove data about you, write to us through the contact page.</p>"""),
    ("privacy", "es"): ("Privacidad y cookies", """
<p>Cualquiera puede leer todo el portal sin cuenta. Las páginas públicas no instalan cookies ni
usan analítica ni servicios de terceros: no se carga nada de otro sitio.</p>
<h2>Qué guarda el portal</h2>
<ul>
<li>Los perfiles, incluidos los nombres y direcciones profesionales del equipo de gestión de
cada clúster, que el propio clúster publica y puede cambiar o retirar en cualquier momento.</li>
<li>Los registros del servidor (dirección, página y hora de cada petición), que se guardan
como máximo 30 días para mantener el servicio en marcha y seguro.</li>
</ul>
<h2>Personal de los clústeres y editores</h2>
<p>Quienes inician sesión para editar perfiles reciben una cookie de sesión, necesaria para
mantener la sesión abierta, que termina al cerrarla. Quién cambió qué en un perfil queda en su
historial de cambios.</p>
<p>Para consultar, corregir o suprimir datos sobre usted, escríbanos a través de la página de
contacto.</p>"""),
}




def add_default_pages(page_model):
    """Create each default page that is missing; an edited one is kept as it is."""
    for (kind, language), (title, body) in PAGES.items():
        page_model.objects.get_or_create(kind=kind, language=language,
                                         defaults={"title": title, "body": " ".join(body.split())})
