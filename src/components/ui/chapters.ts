/** Chapter 3's link target for its figures' "from chapter" lines. */
export const CHAPTER_3 = {
  href: '/chapters/03-backprop/',
  title: 'Backpropagation: the chain rule of calculus',
};
